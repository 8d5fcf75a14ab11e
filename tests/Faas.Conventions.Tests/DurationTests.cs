using Faas.Conventions;

namespace Faas.Conventions.Tests;

public class DurationTests
{
    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m", 60_000)]
    [InlineData("1m05s", 65_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("250us", 0.25)]
    [InlineData("0", 0)]
    public void Parses_bare_seconds_and_go_durations(string text, double milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds, precision: 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("10x")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    public void Rejects_anything_else(string text) => Assert.False(Duration.TryParse(text, out _));
}
