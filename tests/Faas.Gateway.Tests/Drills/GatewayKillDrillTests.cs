using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Faas.Gateway.Tests.Async;

namespace Faas.Gateway.Tests.Drills;

/// <summary>The gateway binary (which runs the queue worker) killed with SIGKILL in the middle of a batch, then restarted.</summary>
public class GatewayKillDrillTests
{
    [Fact]
    public async Task Every_accepted_request_is_invoked_and_called_back_after_the_worker_is_killed()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Gateway__Async__NatsUrl"] = nats.Url,
            ["Gateway__Async__AckWait"] = "00:00:02",
            ["Gateway__Async__MaxInflight"] = "4",
        });
        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + GatewayProcess.AdminPassword)));
        using var deployed = await admin.PostAsync(gateway.Url + "/system/functions",
            new StringContent("""{"service":"slowpoke","image":"local","envProcess":"sh -c 'sleep 0.3; cat'"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);

        var callIds = Enumerable.Range(0, 24).Select(i => $"call-{i}").ToList();
        foreach (var callId in callIds)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/slowpoke") { Content = new StringContent("body of " + callId) };
            request.Headers.Add("X-Call-Id", callId);
            request.Headers.Add("X-Callback-Url", callback.Url + "/done");
            using var accepted = await TestHttp.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        Assert.True(await callback.WaitForAsync(2, TimeSpan.FromSeconds(30)), gateway.Output);
        var beforeKill = callback.Received.Count;
        await gateway.KillAndRestartAsync();
        var all = await ProcessTable.EventuallyAsync(() => callback.Received.Select(c => c.CallId).Distinct().Count() == callIds.Count, TimeSpan.FromSeconds(90));

        Assert.True(beforeKill < callIds.Count, "every call finished before the kill: the test proved nothing");
        Assert.True(all, $"called back: {string.Join(", ", callback.Received.Select(c => c.CallId).Distinct().Order())}\n{gateway.Output}");
        Assert.All(callback.Received, c => Assert.Equal(("body of " + c.CallId, 200), (c.Body, c.Status)));
    }
}
