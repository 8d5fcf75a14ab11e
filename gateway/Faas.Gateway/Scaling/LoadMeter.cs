using Faas.Gateway.Async;
using Faas.Gateway.Metrics;
using Faas.Provider;
using Faas.Provider.Scaling;

namespace Faas.Gateway.Scaling;

/// <summary>
/// Measures a function's load as its policy defines it: queue depth from the async queue, requests in flight from
/// the gateway's in-flight count, or requests per second from its started-invocations count over a sliding window.
/// Also says whether anything arrived or waits since the last measurement, and when the function last answered (for scale to zero).
/// With the queue down or too slow to count, the depth is unknown: a queue-depth load is then null, and the other
/// policies go on without it (a call waiting there scales its function from zero when it runs, as any call does).
/// </summary>
internal sealed class LoadMeter(GatewayMetrics metrics, IAsyncQueue queue)
{
    private readonly Dictionary<FunctionKey, Queue<(DateTimeOffset At, long Started)>> _history = [];

    /// <summary>The load (null when it is a queue depth the queue cannot give now, and <c>QueueProblem</c> says why), activity, and the last answer.</summary>
    public async Task<(double? Load, bool Active, DateTimeOffset? LastFinished, string? QueueProblem)> MeasureAsync(FunctionKey function, ScalingPolicy policy, DateTimeOffset now, TimeSpan rpsWindow, CancellationToken cancellationToken)
    {
        var (started, inFlight, sinceLastFinished) = metrics.Load(function.ToString());
        // The queue is asked only where its depth decides something: the load of a function scaled on it, and the activity
        // that keeps a function from going to zero. Every other function would cost the queue a request every round.
        var (depth, queueProblem) = policy.Type == ScalingType.Queue || policy.ScaleToZero ? await DepthAsync(function, cancellationToken) : (null, null);

        if (!_history.TryGetValue(function, out var samples))
        {
            _history[function] = samples = new Queue<(DateTimeOffset, long)>();
        }

        var previous = samples.Count > 0 ? samples.Last().Started : started;
        samples.Enqueue((now, started));
        while (samples.Count > 1 && samples.Peek().At < now - rpsWindow)
        {
            samples.Dequeue();
        }

        var (oldestAt, oldestStarted) = samples.Peek();
        var rps = now > oldestAt ? (started - oldestStarted) / (now - oldestAt).TotalSeconds : 0;
        var active = started > previous || inFlight > 0 || depth > 0;
        double? load = policy.Type switch
        {
            ScalingType.Queue => depth,
            ScalingType.Rps => rps,
            _ => inFlight,
        };
        return (load, active, now - sinceLastFinished, queueProblem);
    }

    /// <summary>The function's queued calls, or null and why the queue cannot count them now.</summary>
    private async Task<(int? Depth, string? Problem)> DepthAsync(FunctionKey function, CancellationToken cancellationToken)
    {
        // A queue known to be down is not asked: each ask would wait out its timeout, for every function, every round.
        if (queue.Problem is { } problem)
        {
            return (null, problem);
        }

        try
        {
            return (await queue.DepthAsync(function, cancellationToken), null);
        }
        catch (QueueUnavailableException error)
        {
            return (null, error.Message);
        }
    }

    public void Forget(FunctionKey function) => _history.Remove(function);
}
