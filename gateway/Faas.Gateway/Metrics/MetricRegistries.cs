using Prometheus;
using PrometheusMetrics = Prometheus.Metrics;

namespace Faas.Gateway.Metrics;

/// <summary>
/// prometheus-net set up the way the gateway exposes metrics: a registry of its own (nothing
/// from the library's default registry: no process, event-counter or meter adapters listening in the background), the
/// bucket bounds of Prometheus' Go client (OpenFaaS's components use them), and no exemplars (the text format does not
/// carry them, so capturing trace ids on every increment would be cost for nothing).
/// </summary>
internal static class MetricRegistries
{
    /// <summary>The Go client's <c>prometheus.DefBuckets</c>.</summary>
    public static readonly double[] GoDefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static CollectorRegistry New()
    {
        PrometheusMetrics.SuppressDefaultMetrics();
        return PrometheusMetrics.NewCustomRegistry();
    }

    public static IMetricFactory Factory(CollectorRegistry registry)
    {
        var factory = PrometheusMetrics.WithCustomRegistry(registry);
        factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = static (_, _) => Exemplar.None };
        return factory;
    }
}
