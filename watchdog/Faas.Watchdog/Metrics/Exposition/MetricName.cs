namespace Faas.Watchdog.Metrics.Exposition;

/// <summary>
/// Metric and label name rules, checked when a metric is created rather than when it is scraped. Plain character
/// tests, not a regular expression, to keep the regex engine off the watchdog's start-up path.
/// </summary>
internal static class MetricName
{
    public static void Validate(string name)
    {
        if (!IsValid(name, allowColon: true))
        {
            throw new ArgumentException($"invalid metric name '{name}'", nameof(name));
        }
    }

    public static void ValidateLabel(string label)
    {
        if (!IsValid(label, allowColon: false) || label.StartsWith("__", StringComparison.Ordinal) || label == "le")
        {
            throw new ArgumentException($"invalid label name '{label}'", nameof(label));
        }
    }

    /// <summary>[a-zA-Z_(:)][a-zA-Z0-9_(:)]*</summary>
    private static bool IsValid(string name, bool allowColon)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && !(allowColon && c == ':'))
            {
                return false;
            }
        }

        return true;
    }
}
