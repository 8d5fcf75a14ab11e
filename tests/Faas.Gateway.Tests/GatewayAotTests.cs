using System.Net;
using System.Text.Json;

namespace Faas.Gateway.Tests;

/// <summary>
/// The gateway published as Native AOT with the local backend only (<c>make publish-gateway-aot</c>, which make test
/// runs): the same API, invocations, async calls, metrics and dashboard as the framework-dependent build, and the other
/// backends refused at start with a reason.
/// </summary>
public class GatewayAotTests
{
    private static string Binary
    {
        get
        {
            var path = Path.Combine(RepoPaths.Root, "out", "gateway-aot");
            Assert.True(File.Exists(path), "out/gateway-aot is missing: run 'make publish-gateway-aot' (make test does)");
            return path;
        }
    }

    [Fact]
    public async Task The_native_gateway_deploys_invokes_queues_counts_and_serves_its_dashboard()
    {
        await using var callback = await Async.CallbackReceiver.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Gateway__Dashboard__HistoryInterval"] = "00:00:01",
            ["Gateway__Async__CallbackAllowedNetworks__0"] = "127.0.0.0/8",
        }, Binary);
        await gateway.DeployAsync("""{"service":"echo","image":"local","envProcess":"cat"}""");
        using (var answer = await TestHttp.Client.PostAsync(gateway.Url + "/function/echo", new StringContent("native")))
        {
            Assert.Equal("native", await answer.Content.ReadAsStringAsync());
        }

        using var admin = GatewayProcess.AdminClient();
        using (var queued = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/echo") { Content = new StringContent("later") })
        {
            queued.Headers.Add("X-Callback-Url", callback.Url + "/done");
            using var accepted = await TestHttp.Client.SendAsync(queued);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        // Never connected to: the address is outside the allowed networks, so the call is refused as it is made.
        using (var outside = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/echo") { Content = new StringContent("elsewhere") })
        {
            outside.Headers.Add("X-Callback-Url", "http://203.0.113.1/done");
            using var refused = await TestHttp.Client.SendAsync(outside);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("203.0.113.1 is outside the networks callbacks may reach (Gateway:Async:CallbackAllowedNetworks: 127.0.0.0/8)", await refused.Content.ReadAsStringAsync());
        }

        using var listed = JsonDocument.Parse(await admin.GetStringAsync(gateway.Url + "/system/functions"));
        Assert.Equal("echo", listed.RootElement[0].GetProperty("name").GetString());
        var completed = 0L;
        for (var waited = 0; waited < 100 && completed == 0; waited++)
        {
            await Task.Delay(100);
            using var queues = JsonDocument.Parse(await admin.GetStringAsync(gateway.Url + "/system/async-queues"));
            completed = queues.RootElement.GetProperty("functions")[0].GetProperty("completed").GetInt64();
        }

        Assert.Equal(1, completed);
        Assert.True(await callback.WaitForAsync(1, TimeSpan.FromSeconds(10)), "no callback");
        Assert.Equal("later", Assert.Single(callback.Received).Body);
        Assert.Contains("gateway_function_invocation_total{function_name=\"echo.openfaas-fn\",code=\"200\"} 2", await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics"), StringComparison.Ordinal);

        using var page = await TestHttp.Client.GetAsync(gateway.DashboardUrl + "/ui/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script type=\"module\" src=\"main.js\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var signIn = await TestHttp.Client.PostAsync(gateway.DashboardUrl + "/ui/session",
            new StringContent($$"""{"user":"admin","password":"{{GatewayProcess.AdminPassword}}"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        await Task.Delay(1500);
        using var history = JsonDocument.Parse(await admin.GetStringAsync(gateway.Url + "/system/function-history"));
        Assert.NotEmpty(history.RootElement.GetProperty("functions")[0].GetProperty("points").EnumerateArray());

        // Admin sign-in, the internal token and dashboard sessions need no OpenSSL (about 3.5 MB resident once loaded).
        var libraries = await File.ReadAllTextAsync($"/proc/{gateway.Pid}/maps");
        Assert.DoesNotContain("libcrypto", libraries, StringComparison.Ordinal);
        Assert.DoesNotContain("libssl", libraries, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_native_gateway_refuses_the_docker_backend_with_the_reason()
    {
        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Gateway__Provider"] = "docker" }, Binary);
        Assert.Equal(2, exitCode);
        Assert.Contains("built with the local backend only", output, StringComparison.Ordinal);
    }
}
