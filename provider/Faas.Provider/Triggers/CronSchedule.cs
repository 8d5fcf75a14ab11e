using System.Globalization;

namespace Faas.Provider.Triggers;

/// <summary>
/// A 5-field cron schedule in UTC (minute, hour, day of month, month, day of week), as Vixie cron reads it:
/// <c>*</c>, numbers, ranges <c>a-b</c>, steps <c>*/n</c> and <c>a-b/n</c>, lists <c>a,b</c>, month and weekday
/// names (<c>JAN</c>, <c>MON</c>), Sunday as 0 or 7, and the macros <c>@hourly</c>, <c>@daily</c>, <c>@weekly</c>,
/// <c>@monthly</c>, <c>@yearly</c>. When both day fields are restricted a day matches if either does.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _dayOfMonthRestricted;
    private readonly bool _dayOfWeekRestricted;

    private CronSchedule(string text, string[] fields)
    {
        Text = text;
        (_minutes, _) = Field(fields[0], "minute", 0, 59, null);
        (_hours, _) = Field(fields[1], "hour", 0, 23, null);
        (_daysOfMonth, _dayOfMonthRestricted) = Field(fields[2], "day of month", 1, 31, null);
        (_months, _) = Field(fields[3], "month", 1, 12, MonthNames);
        (_daysOfWeek, _dayOfWeekRestricted) = Field(fields[4], "day of week", 0, 7, DayNames);
        _daysOfWeek[0] |= _daysOfWeek[7];
    }

    public string Text { get; }

    /// <summary>Parses a schedule; a <see cref="FormatException"/> names the field and the accepted form.</summary>
    public static CronSchedule Parse(string text)
    {
        var expanded = Macros.TryGetValue(text.Trim(), out var macro) ? macro : text;
        var fields = expanded.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 5
            ? new CronSchedule(text, fields)
            : throw new FormatException($"schedule \"{text}\" needs 5 fields (minute hour day-of-month month day-of-week), got {fields.Length}");
    }

    public static bool TryParse(string text, out CronSchedule? schedule, out string? error)
    {
        try
        {
            schedule = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException problem)
        {
            schedule = null;
            error = problem.Message;
            return false;
        }
    }

    /// <summary>The first matching minute strictly after <paramref name="after"/> (UTC), or null if none within five years (e.g. 30 February).</summary>
    public DateTime? Next(DateTime after)
    {
        var time = new DateTime(after.Year, after.Month, after.Day, after.Hour, after.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
        var limit = time.AddYears(5);
        while (time < limit)
        {
            if (!_months[time.Month])
            {
                time = new DateTime(time.Year, time.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            }
            else if (!DayMatches(time))
            {
                time = time.Date.AddDays(1);
            }
            else if (!_hours[time.Hour])
            {
                time = time.Date.AddHours(time.Hour + 1);
            }
            else if (!_minutes[time.Minute])
            {
                time = time.AddMinutes(1);
            }
            else
            {
                return time;
            }
        }

        return null;
    }

    private bool DayMatches(DateTime time)
    {
        var dayOfMonth = _daysOfMonth[time.Day];
        var dayOfWeek = _daysOfWeek[(int)time.DayOfWeek];
        return _dayOfMonthRestricted && _dayOfWeekRestricted ? dayOfMonth || dayOfWeek
            : _dayOfMonthRestricted ? dayOfMonth
            : !_dayOfWeekRestricted || dayOfWeek;
    }

    private (bool[] Allowed, bool Restricted) Field(string field, string name, int min, int max, string[]? names)
    {
        var allowed = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => (r, n),
                _ => throw Invalid(field, name, min, max),
            };
            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Split('-') is [var low, var high])
            {
                (from, to) = (Value(low, field, name, min, max, names), Value(high, field, name, min, max, names));
            }
            else
            {
                from = Value(range, field, name, min, max, names);
                to = part.Contains('/', StringComparison.Ordinal) ? max : from;
            }

            if (from > to)
            {
                throw new FormatException($"schedule \"{Text}\": {name} range {range} runs backwards");
            }

            for (var value = from; value <= to; value += step)
            {
                allowed[value] = true;
            }
        }

        return (allowed, field != "*");
    }

    private int Value(string text, string field, string name, int min, int max, string[]? names)
    {
        if (names is not null && Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is var index and >= 0)
        {
            return index + (min == 1 ? 1 : 0);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid(field, name, min, max);
    }

    private FormatException Invalid(string field, string name, int min, int max) =>
        new($"schedule \"{Text}\": {name} \"{field}\" is not valid: use *, a number {min}-{max}, a range a-b, a step */n or a-b/n, or a list a,b");
}
