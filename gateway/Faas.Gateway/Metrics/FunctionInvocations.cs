using System.Collections.Concurrent;
using System.Diagnostics;
using Prometheus;

namespace Faas.Gateway.Metrics;

/// <summary>
/// One function's invocation series, looked up once per invocation: its prometheus-net children (resolved once, not per
/// call: label lookups were most of the library's cost on this path); plain started/in-flight counts and the time of
/// the last answer, which the autoscaler and the admin API's <c>invocationCount</c> read instead of metric objects; and
/// the counts and fine latency buckets that <see cref="FunctionHistory"/> samples for the dashboard.
/// </summary>
internal sealed class FunctionInvocations
{
    private readonly Counter.Child _startedTotal;
    private readonly Gauge.Child _inFlightGauge;
    private readonly Func<int, (Counter.Child Count, Histogram.Child Seconds)> _newCode;
    private readonly ConcurrentDictionary<int, (Counter.Child Count, Histogram.Child Seconds)> _byCode = new();
    private readonly LatencyBuckets _latency = new();
    private long _started;
    private long _inFlight;
    private long _errors;
    private long _coldStarts;
    private long _lastFinished;

    internal FunctionInvocations(GatewayMetrics metrics, string label)
    {
        _startedTotal = metrics.Started.WithLabels(label);
        _inFlightGauge = metrics.InFlight.WithLabels(label);
        _newCode = code =>
        {
            var text = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return (metrics.Invocations.WithLabels(label, text), metrics.Seconds.WithLabels(label, text));
        };
    }

    public long Started => Interlocked.Read(ref _started);

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Invocations answered 5xx (by the function or by the gateway for it).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Invocations that waited for a replica to start.</summary>
    public long ColdStarts => Interlocked.Read(ref _coldStarts);

    public LatencyBuckets Latency => _latency;

    /// <summary>How long ago the last invocation was answered; null before the first.</summary>
    public TimeSpan? SinceLastFinished => Volatile.Read(ref _lastFinished) is var at and not 0 ? Stopwatch.GetElapsedTime(at) : null;

    public void ColdStarted() => Interlocked.Increment(ref _coldStarts);

    public void Start()
    {
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _inFlight);
        _startedTotal.Inc();
        _inFlightGauge.Inc();
    }

    /// <summary>Out of flight, counted under its status code with how long it took since <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Finish(int statusCode, long started)
    {
        var now = Stopwatch.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(started, now).TotalSeconds;
        Volatile.Write(ref _lastFinished, now);
        Interlocked.Decrement(ref _inFlight);
        _inFlightGauge.Dec();
        var (count, histogram) = _byCode.GetOrAdd(statusCode, _newCode);
        count.Inc();
        histogram.Observe(seconds);
        _latency.Observe(seconds);
        if (statusCode >= 500)
        {
            Interlocked.Increment(ref _errors);
        }
    }
}
