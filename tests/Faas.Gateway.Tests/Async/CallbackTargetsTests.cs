using System.Net;
using System.Net.Http;
using Faas.Gateway.Async;
using Faas.Gateway.Configuration;

namespace Faas.Gateway.Tests.Async;

/// <summary>
/// Where a caller's X-Callback-Url may send the gateway. The refused addresses are only ever checked, never connected
/// to: every callback these tests let through goes to a receiver on loopback.
/// </summary>
public class CallbackTargetsTests
{
    [Theory]
    [InlineData("169.254.169.254", "169.254.0.0/16")]
    [InlineData("::ffff:169.254.169.254", "169.254.0.0/16")]
    [InlineData("fe80::1", "fe80::/10")]
    [InlineData("fd00:ec2::254", "fd00:ec2::254/128")]
    [InlineData("100.100.100.200", "100.100.100.200/32")]
    [InlineData("0.0.0.0", "0.0.0.0/8")]
    [InlineData("::", "::/128")]
    [InlineData("224.0.0.1", "224.0.0.0/4")]
    [InlineData("255.255.255.255", "240.0.0.0/4")]
    public void By_default_metadata_link_local_and_reserved_addresses_are_refused(string address, string network)
    {
        var targets = new CallbackTargets(new AsyncOptions());

        Assert.Equal($"{IPAddress.Parse(address) switch { var a when a.IsIPv4MappedToIPv6 => a.MapToIPv4(), var a => a }} is in {network}, which callbacks may not reach (Gateway:Async:CallbackDeniedNetworks)",
            targets.Check(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.20.0.5")]
    [InlineData("192.168.1.10")]
    [InlineData("fd12:3456::1")]
    [InlineData("203.0.113.7")]
    public void By_default_loopback_private_and_public_addresses_are_allowed(string address)
    {
        Assert.Null(new CallbackTargets(new AsyncOptions()).Check(IPAddress.Parse(address)));
    }

    [Fact]
    public void Allowed_networks_narrow_the_rule_and_denied_networks_replace_the_default()
    {
        var narrowed = new CallbackTargets(new AsyncOptions { CallbackAllowedNetworks = ["127.0.0.0/8", "10.9.0.7"] });
        var replaced = new CallbackTargets(new AsyncOptions { CallbackDeniedNetworks = ["10.0.0.0/8"] });

        Assert.Null(narrowed.Check(IPAddress.Parse("127.0.0.2")));
        Assert.Null(narrowed.Check(IPAddress.Parse("10.9.0.7")));
        Assert.Equal("10.9.0.8 is outside the networks callbacks may reach (Gateway:Async:CallbackAllowedNetworks: 127.0.0.0/8, 10.9.0.7/32)",
            narrowed.Check(IPAddress.Parse("10.9.0.8")));
        Assert.StartsWith("169.254.169.254 is in 169.254.0.0/16", narrowed.Check(IPAddress.Parse("169.254.169.254")));
        Assert.Null(replaced.Check(IPAddress.Parse("169.254.169.254")));
        Assert.StartsWith("10.0.0.1 is in 10.0.0.0/8", replaced.Check(IPAddress.Parse("10.0.0.1")));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is in 169.254.0.0/16")]
    [InlineData("http://[fe80::1]:8080/x", "fe80::1 is in fe80::/10")]
    [InlineData("http://2852039166/", "169.254.169.254 is in 169.254.0.0/16")]
    [InlineData("http://0x7f000001:8080/done", null)]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", null)]
    public void An_address_written_in_the_url_is_checked_and_a_name_is_left_to_connect_time(string url, string? refused)
    {
        var problem = new CallbackTargets(new AsyncOptions()).Check(new Uri(url));

        if (refused is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.StartsWith(refused, problem);
        }
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0/33")]
    public void A_setting_that_is_not_a_network_is_named(string entry)
    {
        Assert.Equal($"invalid Gateway:Async:CallbackDeniedNetworks entry \"{entry}\": expected a network such as 10.0.0.0/8 or fd00::/8, or a single address",
            CallbackTargets.CheckSetting(CallbackTargets.DeniedSetting, ["192.168.0.0/16", entry]));
        Assert.Null(CallbackTargets.CheckSetting(CallbackTargets.DeniedSetting, ["192.168.0.0/16", "fd00::/8", "10.0.0.1"]));
    }

    [Fact]
    public async Task A_name_that_resolves_only_to_refused_addresses_is_not_connected_to()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var url = $"http://localhost:{new Uri(receiver.Url).Port}/moved";
        using var narrowed = Client(new CallbackTargets(new AsyncOptions { CallbackAllowedNetworks = ["127.0.0.2"] }));
        using var byDefault = Client(new CallbackTargets(new AsyncOptions()));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => narrowed.PostAsync(url, null));
        var receivedWhileRefused = receiver.Redirected;
        using var allowed = await byDefault.PostAsync(url, null);

        Assert.Contains("is outside the networks callbacks may reach (Gateway:Async:CallbackAllowedNetworks: 127.0.0.2/32)",
            Assert.IsType<CallbackRefusedException>(refused.InnerException).Message);
        Assert.Equal(0, receivedWhileRefused);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, allowed.StatusCode);
        Assert.Equal(1, receiver.Redirected);
    }

    private static HttpClient Client(CallbackTargets targets) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectCallback = targets.ConnectAsync });
}
