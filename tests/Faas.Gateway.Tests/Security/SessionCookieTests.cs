using System.Net;
using System.Text;
using Faas.Gateway.Configuration;
using Faas.Gateway.Security;

namespace Faas.Gateway.Tests.Security;

/// <summary>
/// A function's response cannot set or delete the dashboard's session cookie: a cookie belongs to every port of its
/// host, the function's port included. The function's own cookies pass, on every path a response takes.
/// </summary>
public class SessionCookieTests
{
    [Theory]
    [InlineData("faas_session=planted; Path=/", true)]
    [InlineData(" faas_session =; Max-Age=0", true)]
    [InlineData("faas_session=", true)]
    [InlineData("faas_session", false)]
    [InlineData("faas_sessions=1", false)]
    [InlineData("Faas_Session=1", false)]
    [InlineData("note=faas_session=1", false)]
    [InlineData("flavour=oat; faas_session=1", false)]
    [InlineData("flavour; faas_session=1", false)]
    public void A_set_cookie_value_names_the_session_as_a_browser_reads_its_name(string value, bool session)
    {
        Assert.Equal(session, DashboardSessions.SetsSessionCookie(value));
        Assert.Equal(session, DashboardSessions.SetsSessionCookie(Encoding.ASCII.GetBytes(value)));
    }

    [Fact]
    public void The_cookies_name_is_spelt_the_same_as_text_and_as_bytes() =>
        Assert.Equal(DashboardSessions.CookieName, Encoding.ASCII.GetString(DashboardSessions.CookieNameBytes));

    [Theory]
    [InlineData("fast path")]
    [InlineData("Kestrel's path")]
    [InlineData("YARP")]
    public async Task A_function_cannot_set_or_delete_the_session_cookie_though_its_own_cookies_pass(string path)
    {
        Action<GatewayOptions>? configure = path switch
        {
            "Kestrel's path" => options => options.FastPath = false,
            "YARP" => options => options.Forwarder = "yarp",
            _ => null,
        };
        await using var gateway = await GatewayFixture.StartAsync(configure);
        using var _ = await gateway.DeployHttpAsync("baker");
        await gateway.WaitForAvailableAsync("baker");
        var cookies = new[] { "faas_session=planted; Path=/", "flavour=oat; Path=/", " faas_session =; Max-Age=0", "note=faas_session=ok" };
        var query = string.Join("&", cookies.Select(cookie => "set=" + Uri.EscapeDataString(cookie)));

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false });
        using var response = await client.GetAsync($"{gateway.Url}/function/baker/cookies?{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["flavour=oat; Path=/", "note=faas_session=ok"], response.Headers.GetValues("Set-Cookie"));
        Assert.True(response.Headers.Contains("X-Call-Id"));
    }
}
