using Faas.Gateway.Async;
using Faas.Gateway.Configuration;

namespace Faas.Gateway.Tests.Configuration;

public class SettingsCheckTests
{
    [Theory]
    [InlineData("Gateway__Async__MaxInflight", "0", "invalid Gateway:Async:MaxInflight=0: expected a whole number of at least 1")]
    [InlineData("Gateway__Async__MaxAttempts", "0", "invalid Gateway:Async:MaxAttempts=0: expected a whole number of at least 1")]
    [InlineData("Gateway__Async__AckWait", "00:00:00", "invalid Gateway:Async:AckWait=00:00:00: expected a duration above 0")]
    [InlineData("Gateway__UpstreamTimeout", "00:00:00", "invalid Gateway:UpstreamTimeout=00:00:00: expected a duration above 0")]
    [InlineData("Gateway__Autoscaling__Interval", "00:00:00", "invalid Gateway:Autoscaling:Interval=00:00:00: expected a duration above 0")]
    [InlineData("Gateway__Async__CallbackAllowedNetworks__0", "10.0.0.1/8",
        "invalid Gateway:Async:CallbackAllowedNetworks entry \"10.0.0.1/8\": expected a network such as 10.0.0.0/8 or fd00::/8, or a single address")]
    public async Task A_setting_that_stops_work_exits_2_naming_it(string variable, string value, string expected)
    {
        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string> { [variable] = value });

        Assert.Equal(2, exitCode);
        Assert.Contains($"gateway: {expected}", output);
    }

    [Fact]
    public void Every_range_is_checked_and_the_defaults_pass()
    {
        SettingsCheck.Validate(new GatewayOptions(), new AsyncOptions());

        Assert.Contains("Gateway:Async:MaxRetryDelay", Assert.Throws<ArgumentException>(() =>
            SettingsCheck.Validate(new GatewayOptions(), new AsyncOptions { RetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromSeconds(1) })).Message);
        Assert.Contains("Gateway:Async:MaxBodySize", Assert.Throws<ArgumentException>(() =>
            SettingsCheck.Validate(new GatewayOptions(), new AsyncOptions { MaxBodySize = 0 })).Message);
        Assert.Contains("Gateway:Autoscaling:ScaleDownFraction", Assert.Throws<ArgumentException>(() =>
            SettingsCheck.Validate(new GatewayOptions { Autoscaling = new() { ScaleDownFraction = 1 } }, new AsyncOptions())).Message);
        Assert.Contains("Gateway:MaxRequestBodySize", Assert.Throws<ArgumentException>(() =>
            SettingsCheck.Validate(new GatewayOptions { MaxRequestBodySize = 0 }, new AsyncOptions())).Message);
    }
}
