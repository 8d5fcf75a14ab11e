namespace Faas.Provider.Tests;

public sealed class TimestampedLineTests
{
    [Fact]
    public void Runtime_timestamps_with_nanoseconds_are_parsed_and_stripped()
    {
        var message = TimestampedLine.Parse(new FunctionKey("f", "ns"), "f-1234abcd", "2026-11-22T14:05:06.123456789Z hello world");

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 14, 5, 6, TimeSpan.Zero).AddTicks(1234567), message.Timestamp);
        Assert.Equal(("hello world", "f-1234abcd", "ns"), (message.Text, message.Instance, message.Namespace));
    }

    [Fact]
    public void A_line_without_a_timestamp_is_kept_whole()
    {
        var message = TimestampedLine.Parse(new FunctionKey("f", "ns"), "f-1", "no stamp here");

        Assert.Equal("no stamp here", message.Text);
    }
}
