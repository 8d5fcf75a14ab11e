using Faas.Conventions;
using Faas.Provider.Timeouts;

namespace Faas.Provider.Tests.Timeouts;

public class FunctionTimeoutTests
{
    [Fact]
    public void The_annotation_wins_over_the_label()
    {
        var labels = new Dictionary<string, string> { ["faas.timeout"] = "10s" };
        var annotations = new Dictionary<string, string> { ["faas.timeout"] = "2m" };

        Assert.Equal(TimeSpan.FromMinutes(2), FunctionTimeout.Read(labels, annotations));
        Assert.Equal(TimeSpan.FromSeconds(10), FunctionTimeout.Read(labels, null));
        Assert.Null(FunctionTimeout.Read(null, null));
    }

    [Theory]
    [InlineData(12.5, "12.5s")]
    [InlineData(60, "60s")]
    [InlineData(0.25, "0.25s")]
    public void Formats_as_a_go_duration_that_parses_back(double seconds, string expected)
    {
        var formatted = FunctionTimeout.Format(TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, formatted);
        Assert.True(Duration.TryParse(formatted, out var back));
        Assert.Equal(TimeSpan.FromSeconds(seconds), back);
    }
}
