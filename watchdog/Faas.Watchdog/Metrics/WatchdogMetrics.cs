using System.Collections.Concurrent;
using Faas.Metrics;
using Prometheus;

namespace Faas.Watchdog.Metrics;

/// <summary>of-watchdog's metrics, by the same names, labels and buckets, served on <c>metrics_port</c> (prometheus-net).</summary>
public sealed class WatchdogMetrics
{
    /// <summary>What Prometheus' text exposition is served as.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly CollectorRegistry _registry = MetricRegistries.New();

    /// <summary>The children per status code and method, resolved once: label lookups were most of the library's cost per request.</summary>
    private readonly ConcurrentDictionary<(int Status, string Method), (Counter.Child Count, Histogram.Child Seconds)> _series = new();

    private readonly Func<(int Status, string Method), (Counter.Child, Histogram.Child)> _newSeries;

    private long _inFlight;

    /// <summary>
    /// Per request, only the histogram is touched and a plain in-flight count moved; the request counter (the
    /// histogram's count) and the in-flight gauge are brought up to date when scraped. prometheus-net's counter and
    /// gauge on every request as well cost 6.5% of saturated throughput (bench/results/baseline.md).
    /// </summary>
    public WatchdogMetrics()
    {
        var factory = MetricRegistries.Factory(_registry);
        RequestsTotal = factory.CreateCounter("http_requests_total", "Total HTTP requests processed by the function.", ["code", "method"]);
        RequestDuration = factory.CreateHistogram("http_request_duration_seconds", "Seconds spent serving HTTP requests to the function.",
            new HistogramConfiguration { LabelNames = ["code", "method"], Buckets = MetricRegistries.GoDefaultBuckets });
        InFlight = factory.CreateGauge("http_requests_in_flight", "Function invocations currently being served.");
        _newSeries = key =>
        {
            var code = StatusCodeText.Of(key.Status);
            return (RequestsTotal.WithLabels(code, key.Method), RequestDuration.WithLabels(code, key.Method));
        };
        _registry.AddBeforeCollectCallback(() =>
        {
            InFlight.Set(Interlocked.Read(ref _inFlight));
            foreach (var (count, seconds) in _series.Values)
            {
                count.IncTo(seconds.Count);
            }
        });
    }

    public Counter RequestsTotal { get; }

    public Histogram RequestDuration { get; }

    public Gauge InFlight { get; }

    /// <summary>An admitted invocation has begun.</summary>
    public void Started() => Interlocked.Increment(ref _inFlight);

    /// <summary>An admitted invocation has ended (its outcome goes to <see cref="Record"/>).</summary>
    public void Ended() => Interlocked.Decrement(ref _inFlight);

    public void Record(int statusCode, string method, double seconds) =>
        _series.GetOrAdd((statusCode, method), _newSeries).Seconds.Observe(seconds, Exemplar.None);

    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(destination, cancellationToken);
}
