using System.Collections.Concurrent;
using Faas.Provider;

namespace Faas.Gateway.Invoke;

/// <summary>
/// The ready replicas of every function, kept current by the provider's change feed (a hosted service), and
/// round-robin selection among them. Reads take no lock.
/// </summary>
public sealed class RoutingTable(IFunctionProvider provider) : BackgroundService
{
    private readonly ConcurrentDictionary<FunctionKey, Route> _routes = new();

    /// <summary>The next replica to try for <paramref name="function"/>, skipping <paramref name="exclude"/> when there is another.</summary>
    public ReplicaEndpoint? Pick(FunctionKey function, ReplicaEndpoint? exclude = null)
    {
        if (!_routes.TryGetValue(function, out var route))
        {
            // Only functions with replicas are remembered (the feed adds the rest), so invoking made-up names
            // cannot grow the table.
            var current = provider.GetReadyEndpoints(function);
            if (current.Count == 0)
            {
                return null;
            }

            route = _routes.GetOrAdd(function, _ => new Route(current));
        }

        var ready = route.Ready;
        if (ready.Count == 0)
        {
            return null;
        }

        for (var attempt = 0; attempt < ready.Count; attempt++)
        {
            var candidate = ready[(int)((uint)Interlocked.Increment(ref route.Next) % (uint)ready.Count)];
            if (candidate != exclude)
            {
                return candidate;
            }
        }

        return ready[0];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in provider.WatchEndpointsAsync(stoppingToken))
            {
                _routes.AddOrUpdate(change.Function, _ => new Route(change.Ready), (_, route) => route with { Ready = change.Ready });
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private sealed record Route(IReadOnlyList<ReplicaEndpoint> Ready)
    {
        public long Next;
    }
}
