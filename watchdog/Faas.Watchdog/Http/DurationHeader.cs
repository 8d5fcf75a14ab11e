using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Http;

/// <summary>X-Duration-Seconds, in Go's %f form as of-watchdog writes it.</summary>
internal static class DurationHeader
{
    public const string Name = "X-Duration-Seconds";

    public static void Set(HttpResponse response, long startTimestamp)
    {
        Span<char> text = stackalloc char[32];
        response.Headers[Name] = new string(text[..Format(startTimestamp, text)]);
    }

    /// <summary>Writes the seconds since <paramref name="startTimestamp"/> into <paramref name="destination"/> (32 chars suffice); returns the length.</summary>
    /// <remarks>Whole microseconds formatted as integers: a double's "F6" formatting was a visible share of a proxied request.</remarks>
    public static int Format(long startTimestamp, Span<char> destination)
    {
        var microseconds = (Stopwatch.GetElapsedTime(startTimestamp).Ticks + 5) / 10;
        destination.TryWrite(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000}.{microseconds % 1_000_000:D6}", out var written);
        return written;
    }
}
