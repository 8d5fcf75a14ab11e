namespace Faas.Conventions.Tests;

public class SecondsTextTests
{
    [Theory]
    [InlineData(0L, "0.000000")]
    [InlineData(4L, "0.000000")]
    [InlineData(5L, "0.000001")]
    [InlineData(12_345_678L, "1.234568")]
    [InlineData(900_000_000L, "90.000000")]
    public void Seconds_are_written_with_six_decimals_rounded_to_the_microsecond_as_Go_prints_them(long ticks, string expected)
    {
        Span<char> text = stackalloc char[SecondsText.MaxLength];

        var written = SecondsText.Format(TimeSpan.FromTicks(ticks), text);

        Assert.Equal(expected, text[..written].ToString());
        Assert.Equal(expected, SecondsText.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void The_longest_duration_fits()
    {
        Assert.Equal("922337203685.477581", SecondsText.Format(TimeSpan.MaxValue));
    }
}
