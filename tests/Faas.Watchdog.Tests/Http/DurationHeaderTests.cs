using System.Diagnostics;
using System.Globalization;
using Faas.Conventions;
using Faas.Watchdog.Http;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Tests.Http;

public class DurationHeaderTests
{
    [Fact]
    public void Seconds_are_written_with_six_decimals_as_of_watchdog_does()
    {
        var context = new DefaultHttpContext();
        var started = Stopwatch.GetTimestamp() - (long)(1.25 * Stopwatch.Frequency);

        DurationHeader.Set(context.Response, started);
        var written = context.Response.Headers[InvocationHeaders.DurationSeconds].ToString();

        Assert.Matches(@"^\d+\.\d{6}$", written);
        Assert.InRange(double.Parse(written, CultureInfo.InvariantCulture), 1.25, 5);
    }

    [Fact]
    public void A_fast_invocation_keeps_its_leading_zeros()
    {
        var context = new DefaultHttpContext();

        DurationHeader.Set(context.Response, Stopwatch.GetTimestamp());

        Assert.Matches(@"^0\.0\d{5}$", context.Response.Headers[InvocationHeaders.DurationSeconds].ToString());
    }
}
