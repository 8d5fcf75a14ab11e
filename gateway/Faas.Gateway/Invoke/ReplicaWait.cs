using System.Diagnostics;
using Faas.Gateway.Configuration;
using Faas.Gateway.Metrics;
using Faas.Provider;
using Faas.Provider.Wire;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Invoke;

/// <summary>
/// What an invocation of a function without a ready replica waits for, on either path: a replica after a scale from
/// zero (see <see cref="ScaleFromZero"/>), or the reason none will come, answered 503 with <see cref="RetryAfterSeconds"/>.
/// </summary>
internal sealed class ReplicaWait(RoutingTable routes, ScaleFromZero scaleFromZero, GatewayMetrics metrics, IOptions<GatewayOptions> options)
{
    public const string RetryAfterSeconds = "5";

    /// <param name="status">The function's status, which says it exists (the caller asked the provider, answering 404 if not).</param>
    /// <returns>The replica and how long the request waited for it, or null and the 503's message.</returns>
    public async Task<(ReplicaLoad? Replica, TimeSpan Waited, string? Refusal)> ForAsync(FunctionKey function, FunctionStatus status, CancellationToken cancellationToken)
    {
        if (!options.Value.ScaleFromZero)
        {
            return (null, default, $"no ready replicas of {function}");
        }

        if (status.CrashLooping)
        {
            return (null, default, $"no ready replicas of {function}: they keep failing ({status.LastExit})");
        }

        var started = Stopwatch.GetTimestamp();
        var replica = await scaleFromZero.WaitForReplicaAsync(function, cancellationToken) ? routes.Pick(function) : null;
        if (replica is null)
        {
            return (null, default, $"no ready replicas of {function} within {options.Value.ScaleFromZeroTimeout.TotalSeconds:0.###}s");
        }

        var waited = Stopwatch.GetElapsedTime(started);
        metrics.ColdStartSeconds.WithLabels(function.ToString()).Observe(waited.TotalSeconds);
        metrics.Function(function.ToString()).ColdStarted();
        return (replica, waited, null);
    }
}
