using System.Collections.Concurrent;
using Faas.Provider;

namespace Faas.Gateway.Invoke;

/// <summary>
/// The ready replicas of every function, kept current by the provider's change feed (a hosted service), and
/// the choice among them: the fewest requests in flight, round robin among ties. Reads take no lock.
/// </summary>
internal sealed class RoutingTable(IFunctionProvider provider) : BackgroundService
{
    private readonly ConcurrentDictionary<FunctionKey, Route> _routes = new();
    private readonly ConcurrentDictionary<FunctionKey, TaskCompletionSource> _readyWaiters = new();

    /// <summary>The replica to send the next request of <paramref name="function"/> to, avoiding <paramref name="exclude"/> when there is another; null if none is ready.</summary>
    public ReplicaLoad? Pick(FunctionKey function, ReplicaEndpoint? exclude = null)
    {
        if (!_routes.TryGetValue(function, out var route) || route.Replicas.Length == 0)
        {
            // Only functions with replicas are remembered (the feed adds the rest), so invoking made-up names
            // cannot grow the table. Asking the provider also covers a replica the feed has not reported yet.
            var current = provider.GetReadyEndpoints(function);
            if (current.Count == 0)
            {
                return null;
            }

            route = Update(function, current);
        }

        return route.LeastLoaded(exclude);
    }

    /// <summary>Completes when <paramref name="function"/> has a ready replica; false if <paramref name="cancellationToken"/> fired first.</summary>
    public async Task<bool> WaitForReadyAsync(FunctionKey function, CancellationToken cancellationToken)
    {
        var waiter = _readyWaiters.GetOrAdd(function, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Pick(function) is not null)
        {
            return true;
        }

        try
        {
            await waiter.Task.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in provider.WatchEndpointsAsync(stoppingToken))
            {
                Update(change.Function, change.Ready);
                if (change.Ready.Count > 0 && _readyWaiters.TryRemove(change.Function, out var waiter))
                {
                    waiter.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Replaces a function's replicas, keeping the in-flight counts of those that stay.</summary>
    private Route Update(FunctionKey function, IReadOnlyList<ReplicaEndpoint> ready) =>
        _routes.AddOrUpdate(
            function,
            static (_, ready) => new Route([.. ready.Select(endpoint => new ReplicaLoad(endpoint))]),
            static (_, old, ready) => new Route([.. ready.Select(endpoint => Array.Find(old.Replicas, r => r.Endpoint == endpoint) ?? new ReplicaLoad(endpoint))]),
            ready);

    private sealed class Route(ReplicaLoad[] replicas)
    {
        private int _next;

        public ReplicaLoad[] Replicas { get; } = replicas;

        public ReplicaLoad? LeastLoaded(ReplicaEndpoint? exclude)
        {
            var count = Replicas.Length;
            if (count == 0)
            {
                return null;
            }

            // Start the scan at a rotating position so that ties go round robin.
            var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
            ReplicaLoad? best = null;
            for (var i = 0; i < count; i++)
            {
                var candidate = Replicas[(start + i) % count];
                if ((count > 1 && candidate.Endpoint == exclude) || (best is not null && candidate.InFlight >= best.InFlight))
                {
                    continue;
                }

                best = candidate;
            }

            return best;
        }
    }
}
