using System.Globalization;
using System.Text;

namespace Faas.Watchdog.Metrics.Exposition;

/// <summary>The escaping and number rules of the Prometheus text exposition format 0.0.4.</summary>
internal static class TextFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    internal static void AppendSample(StringBuilder output, string name, string labels, double value)
    {
        output.Append(name);
        if (labels.Length > 0)
        {
            output.Append('{').Append(labels).Append('}');
        }

        output.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    internal static void AppendEscapedHelp(StringBuilder output, string help)
    {
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => output.Append("\\\\"),
                '\n' => output.Append("\\n"),
                _ => output.Append(c),
            };
        }
    }

    internal static void AppendEscapedLabelValue(StringBuilder output, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => output.Append("\\\\"),
                '\n' => output.Append("\\n"),
                '"' => output.Append("\\\""),
                _ => output.Append(c),
            };
        }
    }
}
