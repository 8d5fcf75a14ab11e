using Faas.Watchdog.Metrics.Exposition;

namespace Faas.Watchdog.Metrics;

/// <summary>
/// of-watchdog's metrics, by the same names and labels, served on <c>metrics_port</c>. Exposed by the small writer in
/// <c>Exposition/</c>, not prometheus-net (which the gateway uses): side by side it cost the watchdog throughput and RSS
/// that every replica would pay (bench/results/baseline-prometheus-net.md).
/// </summary>
internal sealed class WatchdogMetrics
{
    public WatchdogMetrics()
    {
        Registry = new MetricRegistry();
        RequestsTotal = Registry.Counter("http_requests_total", "Total HTTP requests processed by the function.", "code", "method");
        RequestDuration = Registry.Histogram("http_request_duration_seconds", "Seconds spent serving HTTP requests to the function.", ["code", "method"]);
        InFlight = Registry.Gauge("http_requests_in_flight", "Function invocations currently being served.").Unlabelled;
    }

    public MetricRegistry Registry { get; }

    public Counter RequestsTotal { get; }

    public Histogram RequestDuration { get; }

    public Gauge.Child InFlight { get; }

    public void Record(int statusCode, string method, double seconds)
    {
        var code = StatusCodeText.Of(statusCode);
        RequestsTotal.WithLabels(code, method).Inc();
        RequestDuration.WithLabels(code, method).Observe(seconds);
    }
}
