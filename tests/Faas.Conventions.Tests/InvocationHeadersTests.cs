using System.Text;

namespace Faas.Conventions.Tests;

public class InvocationHeadersTests
{
    public static TheoryData<string, byte[]> Spellings => new()
    {
        { InvocationHeaders.CallId, InvocationHeaders.CallIdBytes.ToArray() },
        { InvocationHeaders.StartTime, InvocationHeaders.StartTimeBytes.ToArray() },
        { InvocationHeaders.Timeout, InvocationHeaders.TimeoutBytes.ToArray() },
        { InvocationHeaders.DurationSeconds, InvocationHeaders.DurationSecondsBytes.ToArray() },
        { InvocationHeaders.ColdStartSeconds, InvocationHeaders.ColdStartSecondsBytes.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Each_header_is_spelt_the_same_as_text_and_as_bytes(string text, byte[] bytes) =>
        Assert.Equal(text, Encoding.ASCII.GetString(bytes));

    [Fact]
    public void The_names_are_the_ones_OpenFaaS_sends() =>
        Assert.Equal(["X-Call-Id", "X-Start-Time", "X-Timeout", "X-Duration-Seconds", "X-Cold-Start-Seconds"],
            [InvocationHeaders.CallId, InvocationHeaders.StartTime, InvocationHeaders.Timeout, InvocationHeaders.DurationSeconds, InvocationHeaders.ColdStartSeconds]);
}
