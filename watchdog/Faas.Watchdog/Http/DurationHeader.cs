using System.Diagnostics;
using Faas.Conventions;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Http;

/// <summary>X-Duration-Seconds, in Go's %f form as of-watchdog writes it (<see cref="SecondsText"/>).</summary>
internal static class DurationHeader
{
    public static void Set(HttpResponse response, long startTimestamp) =>
        response.Headers[InvocationHeaders.DurationSeconds] = SecondsText.Format(Stopwatch.GetElapsedTime(startTimestamp));

    /// <summary>Writes the seconds since <paramref name="startTimestamp"/> into <paramref name="destination"/> (<see cref="SecondsText.MaxLength"/> chars suffice); returns the length.</summary>
    public static int Format(long startTimestamp, Span<char> destination) => SecondsText.Format(Stopwatch.GetElapsedTime(startTimestamp), destination);
}
