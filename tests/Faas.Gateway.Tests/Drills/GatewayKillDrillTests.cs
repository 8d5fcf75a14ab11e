using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Faas.Gateway.Tests.Async;
using Faas.Testing;

namespace Faas.Gateway.Tests.Drills;

/// <summary>The gateway binary killed with SIGKILL: in the middle of an async batch (then restarted), and with replicas running.</summary>
public class GatewayKillDrillTests
{
    /// <summary>
    /// A replica assigned from the standby pool, one started afresh (a function that sets sched_batch gets a watchdog of
    /// its own) and the waiting standby: each watchdog's lifeline is the gateway, so none lives on unseen, serving and
    /// holding its ports, until a gateway happens to start again on the same state directory.
    /// </summary>
    [Fact]
    public async Task Replicas_and_standbys_stop_by_themselves_when_their_gateway_is_killed()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Gateway__Local__StandbyReplicas"] = "1" });
        await gateway.DeployAsync($$$"""{"service":"pooled","image":"local","envProcess":"{{{RepoPaths.TestUpstream}}}","envVars":{"mode":"http"}}""");
        await gateway.DeployAsync("""{"service":"fresh","image":"local","envProcess":"cat","envVars":{"sched_batch":"false"}}""");
        Assert.Equal("OK", await gateway.InvokeAsync("pooled"));
        Assert.Equal("", await gateway.InvokeAsync("fresh"));
        int Watchdogs() => ProcessTable.DescendantsOf(gateway.Pid).Count(pid => ProcessTable.Executable(pid) == RepoPaths.Watchdog);
        var refilled = await ProcessTable.EventuallyAsync(() => Watchdogs() == 3, TimeSpan.FromSeconds(15));
        var replicas = ProcessTable.DescendantsOf(gateway.Pid);
        var groups = replicas.Where(pid => ProcessTable.Executable(pid) == RepoPaths.Watchdog).Select(PidsGroupOf).OfType<string>().ToList();

        await gateway.KillAsync();
        var gone = await ProcessTable.EventuallyAsync(() => !replicas.Any(ProcessTable.IsAlive), TimeSpan.FromSeconds(15));
        var groupsLeft = groups.Count(Directory.Exists);
        await gateway.StartAgainAsync();

        Assert.True(refilled, $"expected two replicas and a standby, found {replicas.Count(pid => ProcessTable.Executable(pid) == RepoPaths.Watchdog)} watchdogs among {replicas.Count} processes");
        Assert.True(gone, $"still running after the gateway was killed: {string.Join(", ", replicas.Where(ProcessTable.IsAlive).Select(pid => $"{pid} {ProcessTable.Executable(pid)}"))}");

        // A killed gateway cannot remove its replicas' control groups; its next start on the state directory does.
        if (LimitsAvailability.SkipReason is null)
        {
            Assert.Equal(3, groups.Count);
            Assert.Equal(3, groupsLeft);
            Assert.DoesNotContain(groups, Directory.Exists);
        }
    }

    /// <summary>The directory of <paramref name="pid"/>'s pids control group, if it is a replica's (below a gateway's <c>faas-</c> group).</summary>
    private static string? PidsGroupOf(int pid)
    {
        var path = ControlGroups.DirectoryOf(pid, "pids");
        return Path.GetFileName(Path.GetDirectoryName(path))?.StartsWith("faas-", StringComparison.Ordinal) == true ? path : null;
    }

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
