using Cronos;

namespace Faas.Provider.Triggers;

/// <summary>
/// A 5-field cron schedule in UTC (minute, hour, day of month, month, day of week), parsed and stepped by Cronos:
/// <c>*</c>, numbers, ranges, steps, lists, month and weekday names, Sunday as 0 or 7, and the macros (<c>@hourly</c>,
/// <c>@daily</c>, <c>@weekly</c>, <c>@monthly</c>, <c>@yearly</c>). One rule is cron's, not Cronos's: when both day
/// fields are restricted (neither starts with <c>*</c>), a day matches if either does (Vixie cron, cronie, and the
/// robfig/cron that OpenFaaS's cron-connector uses); Cronos alone would need both. So such a schedule is two
/// expressions, one per day field, and the next time is the earlier of theirs.
/// </summary>
public sealed class CronSchedule
{
    private const string CronosPrefix = "The given cron expression has an invalid format. ";

    private readonly CronExpression[] _expressions;

    private CronSchedule(string text, CronExpression[] expressions)
    {
        Text = text;
        _expressions = expressions;
    }

    public string Text { get; }

    /// <summary>Parses a schedule; a <see cref="FormatException"/> names the field and what it accepts.</summary>
    public static CronSchedule Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('@'))
        {
            return new CronSchedule(text, [Expression(text, trimmed)]);
        }

        var fields = trimmed.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new FormatException($"schedule \"{text}\" needs 5 fields (minute hour day-of-month month day-of-week), got {fields.Length}");
        }

        var (minute, hour, dayOfMonth, month, dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        var expressions = IsRestricted(dayOfMonth) && IsRestricted(dayOfWeek)
            ? new[] { Expression(text, $"{minute} {hour} {dayOfMonth} {month} *"), Expression(text, $"{minute} {hour} * {month} {dayOfWeek}") }
            : [Expression(text, string.Join(' ', fields))];
        return new CronSchedule(text, expressions);
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

    /// <summary>The first matching minute strictly after <paramref name="after"/> (UTC), or null if there is none (e.g. 30 February).</summary>
    public DateTime? Next(DateTime after)
    {
        var from = DateTime.SpecifyKind(after, DateTimeKind.Utc);
        return _expressions.Select(expression => expression.GetNextOccurrence(from)).Where(next => next is not null).Min();
    }

    /// <summary>As cron reads a day field: restricted unless it starts with <c>*</c> (so <c>*/2</c> is not) or is <c>?</c>.</summary>
    private static bool IsRestricted(string field) => !field.StartsWith('*') && field != "?";

    private static CronExpression Expression(string text, string expression)
    {
        try
        {
            return CronExpression.Parse(expression, CronFormat.Standard);
        }
        catch (CronFormatException error)
        {
            throw new FormatException($"schedule \"{text}\": {error.Message.Replace(CronosPrefix, "", StringComparison.Ordinal)}", error);
        }
    }
}
