using System.Net;

namespace Faas.Gateway.Tests.Invoke;

/// <summary>A function's redirect reaches the caller as the function sent it: no hop on the way follows it.</summary>
public class RedirectTests
{
    [Theory]
    [InlineData(301, "true")]
    [InlineData(302, "false")]
    [InlineData(307, "true")]
    [InlineData(308, "false")]
    public async Task Redirects_pass_through_unchanged_on_both_watchdog_paths(int code, string fastPath)
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployHttpAsync("mover", $$""","envVars":{"mode":"http","ready_path":"/ready","http_fast_path":"{{fastPath}}"}""");
        await gateway.WaitForAvailableAsync("mover");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

        using var response = await client.GetAsync($"{gateway.Url}/function/mover/redirect?code={code}&to=https%3A%2F%2Fexample.org%2Fnew%3Fq%3D1");

        Assert.Equal((HttpStatusCode)code, response.StatusCode);
        Assert.Equal("https://example.org/new?q=1", response.Headers.Location?.OriginalString);
    }
}
