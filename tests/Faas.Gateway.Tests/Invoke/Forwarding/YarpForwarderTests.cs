using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Faas.Gateway.Tests.Invoke.Forwarding;

/// <summary>With <c>Gateway:Forwarder=yarp</c> an invocation goes through YARP's forwarder and reads as it does through ours.</summary>
public class YarpForwarderTests
{
    [Fact]
    public async Task Path_query_body_headers_and_redirects_pass_as_with_our_forwarder()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.Forwarder = "yarp");
        using var _ = await gateway.DeployHttpAsync("relay");
        await gateway.WaitForAvailableAsync("relay");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

        using var echoed = await client.PostAsync($"{gateway.Url}/function/relay/echo", new StringContent("through yarp", Encoding.UTF8, "text/plain"));
        using var headersRequest = new HttpRequestMessage(HttpMethod.Get, $"{gateway.Url}/function/relay/headers?a=1&b=%2F");
        headersRequest.Headers.Add("X-Custom", "kept");
        headersRequest.Headers.Add("X-Call-Id", "b7f0c6a2-0000-4000-8000-000000000001");
        using var headersResponse = await client.SendAsync(headersRequest);
        var seen = await headersResponse.Content.ReadFromJsonAsync<JsonElement>();
        using var redirect = await client.GetAsync($"{gateway.Url}/function/relay/redirect?code=307&to=%2Felsewhere");

        Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
        Assert.Equal("through yarp", await echoed.Content.ReadAsStringAsync());
        Assert.True(echoed.Headers.Contains("X-Duration-Seconds"));
        Assert.Equal("/headers?a=1&b=%2F", seen.GetProperty(":path").GetString());
        Assert.Equal("kept", seen.GetProperty("X-Custom").GetString());
        Assert.Equal("b7f0c6a2-0000-4000-8000-000000000001", seen.GetProperty("X-Call-Id").GetString());
        Assert.Equal("b7f0c6a2-0000-4000-8000-000000000001", headersResponse.Headers.GetValues("X-Call-Id").Single());
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal("/elsewhere", redirect.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_function_slower_than_its_timeout_is_a_504_naming_it()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.Forwarder = "yarp");
        using var _ = await gateway.DeployHttpAsync("dawdler", ""","annotations":{"faas.timeout":"1s"}""");
        await gateway.WaitForAvailableAsync("dawdler");

        using var response = await TestHttp.Client.GetAsync($"{gateway.Url}/function/dawdler/slow?ms=5000");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("dawdler.openfaas-fn", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_forwarder_stops_the_gateway_naming_the_setting()
    {
        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Gateway__Forwarder"] = "nginx" });

        Assert.Equal(2, exitCode);
        Assert.Contains("Gateway:Forwarder 'nginx' is not a forwarder: use own or yarp", output);
    }
}
