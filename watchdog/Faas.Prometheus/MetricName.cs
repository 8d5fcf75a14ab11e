using System.Text.RegularExpressions;

namespace Faas.Prometheus;

/// <summary>Metric and label name rules, checked when a metric is created rather than when it is scraped.</summary>
internal static partial class MetricName
{
    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricPattern();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelPattern();

    public static void Validate(string name)
    {
        if (!MetricPattern().IsMatch(name))
        {
            throw new ArgumentException($"invalid metric name '{name}'", nameof(name));
        }
    }

    public static void ValidateLabel(string label)
    {
        if (!LabelPattern().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal) || label == "le")
        {
            throw new ArgumentException($"invalid label name '{label}'", nameof(label));
        }
    }
}
