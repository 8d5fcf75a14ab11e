using System.Globalization;

namespace Faas.Conventions;

/// <summary>
/// Seconds as X-Duration-Seconds and X-Cold-Start-Seconds carry them: Go's <c>%f</c> (six decimals), as OpenFaaS's
/// gateway and watchdogs write them.
/// </summary>
public static class SecondsText
{
    /// <summary>The longest text: 32 chars hold any <see cref="TimeSpan"/>.</summary>
    public const int MaxLength = 32;

    /// <summary>Writes <paramref name="elapsed"/> (not negative) into <paramref name="destination"/>; returns the length.</summary>
    /// <remarks>Whole microseconds formatted as integers: a double's "F6" formatting was a visible share of a proxied request.</remarks>
    public static int Format(TimeSpan elapsed, Span<char> destination)
    {
        var microseconds = (elapsed.Ticks / 10) + (elapsed.Ticks % 10 >= 5 ? 1 : 0);
        destination.TryWrite(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000}.{microseconds % 1_000_000:D6}", out var written);
        return written;
    }

    public static string Format(TimeSpan elapsed)
    {
        Span<char> text = stackalloc char[MaxLength];
        return new string(text[..Format(elapsed, text)]);
    }
}
