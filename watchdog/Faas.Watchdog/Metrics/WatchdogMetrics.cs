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
    }

    public Counter RequestsTotal { get; }

    public Histogram RequestDuration { get; }

    public Gauge InFlight { get; }

    public void Record(int statusCode, string method, double seconds)
    {
        var (count, duration) = _series.GetOrAdd((statusCode, method), _newSeries);
        count.Inc();
        duration.Observe(seconds);
    }

    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(destination, cancellationToken);
}
