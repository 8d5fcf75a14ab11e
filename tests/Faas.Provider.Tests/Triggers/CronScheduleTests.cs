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
    public void Both_day_fields_restricted_match_either()
    {
        var schedule = CronSchedule.Parse("0 0 1 * MON");

        var firsts = new List<DateTime>();
        for (var time = Utc("2026-11-22 00:00"); firsts.Count < 4; time = firsts[^1])
        {
            firsts.Add(schedule.Next(time)!.Value);
        }

        Assert.Equal([Utc("2026-11-23"), Utc("2026-11-30"), Utc("2026-12-01"), Utc("2026-12-07")], firsts);
    }

    [Fact]
    public void An_impossible_date_has_no_next() => Assert.Null(CronSchedule.Parse("0 0 30 2 *").Next(Utc("2026-01-01")));

    [Theory]
    [InlineData("* * * *", "needs 5 fields")]
    [InlineData("60 * * * *", "minute \"60\" is not valid")]
    [InlineData("* 24 * * *", "hour \"24\"")]
    [InlineData("* * 0 * *", "day of month \"0\"")]
    [InlineData("* * * 13 *", "month \"13\"")]
    [InlineData("* * * * 8", "day of week \"8\"")]
    [InlineData("*/0 * * * *", "minute \"*/0\"")]
    [InlineData("5-1 * * * *", "minute range 5-1 runs backwards")]
    [InlineData("* * * FOO *", "month \"FOO\"")]
    public void Bad_schedules_name_the_field(string schedule, string expected)
    {
        Assert.False(CronSchedule.TryParse(schedule, out _, out var error));
        Assert.Contains(expected, error);
    }
}
