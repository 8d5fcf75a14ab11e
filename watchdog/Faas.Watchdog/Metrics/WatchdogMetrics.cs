using Faas.Metrics;
using Prometheus;

namespace Faas.Watchdog.Metrics;

/// <summary>of-watchdog's metrics, by the same names, labels and buckets, served on <c>metrics_port</c> (prometheus-net).</summary>
public sealed class WatchdogMetrics
{
    /// <summary>What Prometheus' text exposition is served as.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly CollectorRegistry _registry = MetricRegistries.New();

    public WatchdogMetrics()
    {
        var factory = MetricRegistries.Factory(_registry);
        RequestsTotal = factory.CreateCounter("http_requests_total", "Total HTTP requests processed by the function.", ["code", "method"]);
        RequestDuration = factory.CreateHistogram("http_request_duration_seconds", "Seconds spent serving HTTP requests to the function.",
            new HistogramConfiguration { LabelNames = ["code", "method"], Buckets = MetricRegistries.GoDefaultBuckets });
        InFlight = factory.CreateGauge("http_requests_in_flight", "Function invocations currently being served.");
    }

    public Counter RequestsTotal { get; }

    public Histogram RequestDuration { get; }

    public Gauge InFlight { get; }

    public void Record(int statusCode, string method, double seconds)
    {
        var code = StatusCodeText.Of(statusCode);
        RequestsTotal.WithLabels(code, method).Inc();
        RequestDuration.WithLabels(code, method).Observe(seconds);
    }

    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(destination, cancellationToken);
}
