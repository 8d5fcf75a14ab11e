using System.Globalization;
using Faas.Provider.Triggers;

namespace Faas.Provider.Tests.Triggers;

public class CronScheduleTests
{
    private static DateTime Utc(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("*/5 * * * *", "2026-11-22 10:03:30", "2026-11-22 10:05")]
    [InlineData("*/5 * * * *", "2026-11-22 10:05:00", "2026-11-22 10:10")]
    [InlineData("0 * * * *", "2026-11-22 10:00:00", "2026-11-22 11:00")]
    [InlineData("30 2 * * *", "2026-11-22 10:00", "2026-11-23 02:30")]
    [InlineData("0 9-17/4 * * *", "2026-11-22 14:00", "2026-11-22 17:00")]
    [InlineData("15,45 * * * *", "2026-11-22 10:20", "2026-11-22 10:45")]
    [InlineData("0 0 1 * *", "2026-11-22 10:00", "2026-12-01 00:00")]
    [InlineData("0 0 * * MON", "2026-11-22 10:00", "2026-11-23 00:00")]
    [InlineData("0 0 * * 7", "2026-11-22 10:00", "2026-11-29 00:00")]
    [InlineData("0 0 * * 0", "2026-11-22 10:00", "2026-11-29 00:00")]
    [InlineData("0 0 * JAN-MAR *", "2026-11-22 10:00", "2027-01-01 00:00")]
    [InlineData("0 12 13 * FRI", "2026-11-22 10:00", "2026-11-27 12:00")]
    [InlineData("0 0 29 2 *", "2026-11-22 10:00", "2028-02-29 00:00")]
    [InlineData("59 23 31 12 *", "2026-12-31 23:59", "2027-12-31 23:59")]
    [InlineData("10/20 * * * *", "2026-11-22 10:31", "2026-11-22 10:50")]
    [InlineData("@hourly", "2026-11-22 10:31", "2026-11-22 11:00")]
    [InlineData("@weekly", "2026-11-22 10:31", "2026-11-29 00:00")]
    [InlineData("@yearly", "2026-11-22 10:31", "2027-01-01 00:00")]
    public void Next_is_the_first_matching_minute_after(string schedule, string after, string expected) =>
        Assert.Equal(Utc(expected), CronSchedule.Parse(schedule).Next(Utc(after)));

    [Fact]
    public void Both_day_fields_restricted_match_either_as_cron_does()
    {
        // crontab(5): "30 4 1,15 * 5" runs on the 1st and 15th and every Friday. Cronos alone would want Friday the 1st.
        Assert.Equal(
            [Utc("2026-11-23"), Utc("2026-11-30"), Utc("2026-12-01"), Utc("2026-12-07")],
            Firsts(CronSchedule.Parse("0 0 1 * MON"), Utc("2026-11-22 00:00"), 4));
        Assert.Equal(
            [Utc("2027-02-01 04:30"), Utc("2027-02-05 04:30"), Utc("2027-02-12 04:30"), Utc("2027-02-15 04:30"), Utc("2027-02-19 04:30")],
            Firsts(CronSchedule.Parse("30 4 1,15 * 5"), Utc("2027-01-31 12:00"), 5));
    }

    [Fact]
    public void A_day_field_starting_with_a_star_narrows_the_other_instead()
    {
        // As cronie and robfig/cron read it: */7 in day-of-week is unrestricted, so 1-7 AND Sunday: the first Sunday.
        Assert.Equal([Utc("2026-12-06"), Utc("2027-01-03")], Firsts(CronSchedule.Parse("0 0 1-7 * */7"), Utc("2026-11-22"), 2));
    }

    [Fact]
    public void An_impossible_date_has_no_next() => Assert.Null(CronSchedule.Parse("0 0 30 2 *").Next(Utc("2026-01-01")));

    [Theory]
    [InlineData("* * * *", "needs 5 fields")]
    [InlineData("60 * * * *", "schedule \"60 * * * *\": Minutes: Value must be a number between 0 and 59")]
    [InlineData("* 24 * * *", "Hours: Value must be a number between 0 and 23")]
    [InlineData("* * 0 * *", "Days of month: Value must be a number between 1 and 31")]
    [InlineData("* * * 13 *", "Months: Value must be a number between 1 and 12")]
    [InlineData("* * * * 8", "Days of week: Value must be a number between 0 and 7")]
    [InlineData("*/0 * * * *", "Minutes:")]
    [InlineData("* * * FOO *", "Months:")]
    [InlineData("0 0 1 * BAD", "Days of week:")]
    public void Bad_schedules_name_the_field(string schedule, string expected)
    {
        Assert.False(CronSchedule.TryParse(schedule, out _, out var error));
        Assert.Contains(expected, error);
    }

    private static List<DateTime> Firsts(CronSchedule schedule, DateTime from, int count)
    {
        var times = new List<DateTime>();
        for (var time = from; times.Count < count; time = times[^1])
        {
            times.Add(schedule.Next(time)!.Value);
        }

        return times;
    }
}
