namespace Faas.Conventions.Tests;

public class RequestTimeoutTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("2s")]
    [InlineData("1.5")]
    [InlineData("1m30s")]
    public void Absent_or_positive_durations_pass(string? value) => Assert.Null(RequestTimeout.Check(value));

    [Theory]
    [InlineData("soon")]
    [InlineData("0")]
    [InlineData("-1s")]
    [InlineData("")]
    public void Anything_else_is_refused_naming_the_header(string value) =>
        Assert.Equal($"X-Timeout \"{value}\" is not a positive duration: expected {Duration.AcceptedForm}", RequestTimeout.Check(value));
}
