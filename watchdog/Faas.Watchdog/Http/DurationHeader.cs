using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Http;

/// <summary>X-Duration-Seconds, in Go's %f form as of-watchdog writes it.</summary>
public static class DurationHeader
{
    public const string Name = "X-Duration-Seconds";

    public static void Set(HttpResponse response, long startTimestamp) =>
        response.Headers[Name] = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds.ToString("F6", CultureInfo.InvariantCulture);
}
