using System.Globalization;
using Faas.Provider.Wire;

namespace Faas.Provider;

/// <summary>A log line as container runtimes timestamp it (Docker's and the kubelet's <c>timestamps=true</c>): RFC 3339 with nanoseconds, a space, the text.</summary>
public static class TimestampedLine
{
    public static LogMessage Parse(FunctionKey key, string instance, string line)
    {
        var space = line.IndexOf(' ');
        var stamp = space > 0 ? line[..space] : "";
        var dot = stamp.IndexOf('.');

        // .NET parses at most seven fractional digits; runtimes write nine.
        if (dot > 0 && stamp.EndsWith('Z') && stamp.Length - dot - 2 > 7)
        {
            stamp = stamp[..(dot + 8)] + "Z";
        }

        var parsed = DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var timestamp);
        return new LogMessage
        {
            Name = key.Name,
            Namespace = key.Namespace,
            Instance = instance,
            Timestamp = parsed ? timestamp : DateTimeOffset.UtcNow,
            Text = parsed ? line[(space + 1)..].TrimEnd('\r') : line.TrimEnd('\r'),
        };
    }
}
