using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Http;

/// <summary>X-Duration-Seconds, in Go's %f form as of-watchdog writes it.</summary>
public static class DurationHeader
{
    public const string Name = "X-Duration-Seconds";

    /// <remarks>Whole microseconds formatted as integers: a double's "F6" formatting was a visible share of a proxied request.</remarks>
    public static void Set(HttpResponse response, long startTimestamp)
    {
        var microseconds = (Stopwatch.GetElapsedTime(startTimestamp).Ticks + 5) / 10;
        response.Headers[Name] = string.Create(CultureInfo.InvariantCulture, stackalloc char[32], $"{microseconds / 1_000_000}.{microseconds % 1_000_000:D6}");
    }
}
