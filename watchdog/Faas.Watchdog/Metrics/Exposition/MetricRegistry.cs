using System.Text;

namespace Faas.Watchdog.Metrics.Exposition;

/// <summary>The set of metric families one process exposes on /metrics.</summary>
internal sealed class MetricRegistry
{
    private readonly Lock _lock = new();
    private readonly List<IMetric> _metrics = [];

    public T Register<T>(T metric) where T : IMetric
    {
        lock (_lock)
        {
            if (_metrics.Any(existing => existing.Name == metric.Name))
            {
                throw new InvalidOperationException($"metric {metric.Name} is already registered");
            }

            _metrics.Add(metric);
        }

        return metric;
    }

    public Counter Counter(string name, string help, params string[] labelNames) => Register(new Counter(name, help, labelNames));

    public Gauge Gauge(string name, string help, params string[] labelNames) => Register(new Gauge(name, help, labelNames));

    public Histogram Histogram(string name, string help, string[] labelNames, double[]? upperBounds = null) =>
        Register(new Histogram(name, help, labelNames, upperBounds));

    /// <summary>Every family in registration order, in the text exposition format.</summary>
    public string Render()
    {
        IMetric[] snapshot;
        lock (_lock)
        {
            snapshot = [.. _metrics];
        }

        var output = new StringBuilder(4096);
        foreach (var metric in snapshot)
        {
            metric.WriteTo(output);
        }

        return output.ToString();
    }
}
