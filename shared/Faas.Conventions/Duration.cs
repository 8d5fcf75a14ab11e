using System.Globalization;

namespace Faas.Conventions;

/// <summary>
/// Parses durations as OpenFaaS does: a bare number is seconds ("30", "1.5"); otherwise a Go duration,
/// a sequence of number-and-unit terms ("500ms", "10s", "1m05s", "1h"). Units: ns, us, µs, ms, s, m, h.
/// </summary>
public static class Duration
{
    public const string AcceptedForm = "a duration such as 10s, 500ms, 1m30s, or a number of seconds";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var total = 0.0;
        var position = 0;
        while (position < text.Length)
        {
            var numberStart = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }

            if (!double.TryParse(text.AsSpan(numberStart, position - numberStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = position;
            while (position < text.Length && !char.IsAsciiDigit(text[position]) && text[position] != '.')
            {
                position++;
            }

            double? ticksPerUnit = text[unitStart..position] switch
            {
                "ns" => TimeSpan.TicksPerMicrosecond / 1000.0,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (ticksPerUnit is null)
            {
                return false;
            }

            total += number * ticksPerUnit.Value;
        }

        value = TimeSpan.FromTicks((long)total);
        return true;
    }
}
