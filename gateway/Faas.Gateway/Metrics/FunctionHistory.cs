using System.Collections.Concurrent;
using Faas.Gateway.Configuration;
using Faas.Provider;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Metrics;

/// <summary>
/// The last 15 minutes of every function, in memory, for the dashboard's graphs: each <c>Dashboard:HistoryInterval</c>
/// the invocation counts and latency buckets are sampled (their difference since the last sample makes a point) with
/// the replicas the backend reports. Bounded: a fixed number of points per function, and only functions that exist.
/// A backend that cannot list its functions skips the sample; it never stops the gateway.
/// </summary>
internal sealed partial class FunctionHistory(IFunctionProvider provider, GatewayMetrics metrics, IOptions<GatewayOptions> options, ILogger<FunctionHistory> log) : BackgroundService
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<FunctionKey, Series> _series = new();

    public TimeSpan Interval => options.Value.Dashboard.HistoryInterval;

    private int Capacity => (int)Math.Max(1, Window / Interval);

    /// <summary>The points of each function asked for that is being sampled, oldest first.</summary>
    public IReadOnlyList<FunctionHistoryWire> Read(IEnumerable<FunctionKey> functions) =>
        [.. functions
            .Select(key => (Key: key, Series: _series.GetValueOrDefault(key)))
            .Select(entry => new FunctionHistoryWire { Name = entry.Key.Name, Namespace = entry.Key.Namespace, Points = entry.Series?.Points() ?? [] })];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);

        // Stopping disposes the timer, which ends the wait with false: a cancelled wait would throw, and in a native
        // build the first exception resolves its stack trace's method names, work a stop need not do (as in
        // IdleMemoryReturn).
        await using var stopping = stoppingToken.Register(timer.Dispose);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(log, error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(CancellationToken.None));
    }

    internal async Task SampleAsync(CancellationToken cancellationToken)
    {
        var functions = await provider.ListAllAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var present = new HashSet<FunctionKey>();
        foreach (var function in functions)
        {
            var key = function.Key();
            present.Add(key);
            var invocations = metrics.Find(key.ToString());
            _series.GetOrAdd(key, _ => new Series(Capacity, invocations)).Add(now, invocations, (int)function.Replicas, (int)function.AvailableReplicas);
        }

        foreach (var gone in _series.Keys.Where(key => !present.Contains(key)))
        {
            _series.TryRemove(gone, out _);
        }
    }

    /// <summary>One function's ring of points and the counters at its last sample (at first, as they were when it was first seen).</summary>
    private sealed class Series(int capacity, FunctionInvocations? baseline)
    {
        private readonly Queue<HistoryPoint> _points = new(capacity);
        private long _started = baseline?.Started ?? 0;
        private long _errors = baseline?.Errors ?? 0;
        private long _coldStarts = baseline?.ColdStarts ?? 0;
        private long[] _latency = baseline?.Latency.Snapshot() ?? new long[LatencyBuckets.Count];

        public void Add(long time, FunctionInvocations? invocations, int replicas, int available)
        {
            var started = invocations?.Started ?? 0;
            var errors = invocations?.Errors ?? 0;
            var coldStarts = invocations?.ColdStarts ?? 0;
            var latency = invocations?.Latency.Snapshot() ?? _latency;
            var point = new HistoryPoint
            {
                Time = time,
                Invocations = Narrow(started - _started),
                Errors = Narrow(errors - _errors),
                ColdStarts = Narrow(coldStarts - _coldStarts),
                InFlight = Narrow(invocations?.InFlight ?? 0),
                P50Ms = Milliseconds(LatencyBuckets.Quantile(_latency, latency, 0.50)),
                P99Ms = Milliseconds(LatencyBuckets.Quantile(_latency, latency, 0.99)),
                Replicas = replicas,
                AvailableReplicas = available,
            };
            (_started, _errors, _coldStarts, _latency) = (started, errors, coldStarts, latency);
            lock (_points)
            {
                if (_points.Count == capacity)
                {
                    _points.Dequeue();
                }

                _points.Enqueue(point);
            }
        }

        public List<HistoryPoint> Points()
        {
            lock (_points)
            {
                return [.. _points];
            }
        }

        private static float? Milliseconds(double? seconds) => seconds is { } value ? (float)Math.Round(value * 1000, 3) : null;

        private static int Narrow(long count) => (int)Math.Min(count, int.MaxValue);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Function history skipped a sample: {Error}")]
    private static partial void LogSampleFailed(ILogger logger, string error);
}
