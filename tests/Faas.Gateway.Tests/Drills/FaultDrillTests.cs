using System.Net;
using Faas.Gateway.Tests.Async;

namespace Faas.Gateway.Tests.Drills;

/// <summary>
/// Faults an operator meets, injected under load against real processes: what may fail is only what was in flight at
/// the fault, and nothing accepted is lost. Each drill runs for seconds, not minutes.
/// </summary>
public class FaultDrillTests
{
    [Fact]
    public async Task Killing_nats_server_under_async_load_loses_no_accepted_call()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("echo", "cat");
        await gateway.WaitForAvailableAsync("echo");
        var accepted = new System.Collections.Concurrent.ConcurrentBag<string>();

        await using (var load = LoadLoop.Start(4, async (request, cancellationToken) =>
        {
            var callId = $"drill-{request}";
            using var message = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/echo") { Content = new StringContent(callId) };
            message.Headers.Add("X-Call-Id", callId);
            message.Headers.Add("X-Callback-Url", callback.Url + "/done");
            using var response = await TestHttp.Client.SendAsync(message, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted.Add(callId);
            }

            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }))
        {
            await Task.Delay(1000);
            await nats.KillAsync();
            await Task.Delay(1000);
            await nats.StartLaterAsync();
            await Task.Delay(2000);
            await load.StopAsync();

            Assert.All(load.Outcomes, outcome => Assert.True(outcome.Result is "202" or "503", $"request {outcome.Request}: {outcome.Result}"));
            Assert.Contains(load.Outcomes, outcome => outcome.Result == "503");
        }

        var missing = await WaitForCallbacksAsync(accepted, callback);
        Assert.True(missing.Count == 0, $"{missing.Count} of {accepted.Count} accepted calls were never called back ({string.Join(", ", missing.Take(10))}); {gateway.Warnings}");
        Assert.All(callback.Received, c => Assert.Equal((c.CallId, 200), (c.Body, c.Status)));
    }

    /// <summary>
    /// The accepted calls not called back once callbacks stop coming for 15 s. Not a fixed deadline: the function forks
    /// a process per call, so the seconds of load can leave a minute or more of work (a make test run once called back
    /// 8,977 of 11,527 in the 60 s that used to be allowed, still at 150 a second).
    /// </summary>
    private static async Task<IReadOnlyList<string>> WaitForCallbacksAsync(IReadOnlyCollection<string> accepted, CallbackReceiver callback)
    {
        var stall = TimeSpan.FromSeconds(15);
        var sinceProgress = System.Diagnostics.Stopwatch.StartNew();
        var received = -1;
        while (true)
        {
            var calledBack = callback.Received.Select(c => c.CallId).ToHashSet(StringComparer.Ordinal);
            var missing = accepted.Where(id => !calledBack.Contains(id)).ToList();
            if (missing.Count == 0 || (calledBack.Count == received && sinceProgress.Elapsed > stall))
            {
                return missing;
            }

            if (calledBack.Count != received)
            {
                received = calledBack.Count;
                sinceProgress.Restart();
            }

            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Killing_a_replica_under_load_fails_only_the_requests_in_flight()
    {
        const int concurrency = 4;
        // Gateways of other tests run in this process at the same time: a name of its own finds only this drill's replicas.
        var name = "drill-" + Guid.NewGuid().ToString("N")[..8];
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployHttpAsync(name, ""","labels":{"com.openfaas.scale.min":"2"}""");
        await gateway.WaitForAvailableAsync(name, replicas: 2);
        var watchdogs = ProcessTable.DescendantsOf(Environment.ProcessId)
            .Where(pid => ProcessTable.Executable(pid) == RepoPaths.Watchdog && ProcessTable.WithEnvironment("FAAS_REPLICA_ID", name + "-").Contains(pid))
            .ToList();
        Assert.Equal(2, watchdogs.Count);

        await using var load = LoadLoop.Post(gateway.Url + "/function/" + name, concurrency);
        await Task.Delay(1000);
        var killedAt = load.Now;
        Faas.Posix.Signals.Send(watchdogs[0], Faas.Posix.Signals.SigKill);
        await Task.Delay(2000);
        await load.StopAsync();

        Assert.False(ProcessTable.IsAlive(watchdogs[0]), "the replica was not killed: the drill proved nothing");
        var failures = load.Outcomes.Where(outcome => outcome.Result != "200").ToList();
        Assert.True(load.Outcomes.Count(outcome => outcome.Result == "200") > 100, $"only {load.Outcomes.Count} requests ran");
        Assert.True(failures.Count <= concurrency, $"{failures.Count} failed: {string.Join(" | ", failures.Select(f => f.Result))}");
        Assert.All(failures, failure => Assert.True(failure.FinishedAt - killedAt < TimeSpan.FromSeconds(1),
            $"a request failed {failure.FinishedAt - killedAt} after the kill: {failure.Result}"));
    }

    [Fact]
    public async Task A_rolling_update_under_load_fails_no_request()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("rolling", "echo v1", ""","labels":{"com.openfaas.scale.min":"2"}""");
        await gateway.WaitForAvailableAsync("rolling", replicas: 2);

        await using var load = LoadLoop.Start(4, async (_, cancellationToken) =>
        {
            using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/rolling", new StringContent(""), cancellationToken);
            return $"{(int)response.StatusCode} {(await response.Content.ReadAsStringAsync(cancellationToken)).Trim()}";
        });
        await Task.Delay(500);
        using var updated = await gateway.Admin.PutAsync(gateway.Url + "/system/functions",
            GatewayFixture.Json("""{"service":"rolling","image":"local","envProcess":"echo v2","labels":{"com.openfaas.scale.min":"2"}}"""));
        Assert.True(await ProcessTable.EventuallyAsync(() => load.Outcomes.Any(outcome => outcome.Result == "200 v2"), TimeSpan.FromSeconds(20)), "v2 never answered");
        await Task.Delay(1000);
        await load.StopAsync();

        Assert.Equal(HttpStatusCode.Accepted, updated.StatusCode);
        Assert.All(load.Outcomes, outcome => Assert.True(outcome.Result is "200 v1" or "200 v2", $"request {outcome.Request}: {outcome.Result}"));
    }

    [Fact]
    public async Task Floods_of_bad_callbacks_and_long_call_ids_leave_valid_calls_working()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("echo", "cat");
        await gateway.WaitForAvailableAsync("echo");
        var longId = new string('x', 5000);

        var flood = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/echo") { Content = new StringContent("bad") };
            message.Headers.TryAddWithoutValidation(i % 2 == 0 ? "X-Callback-Url" : "X-Call-Id", i % 2 == 0 ? "file:///etc/passwd" : longId);
            using var response = await TestHttp.Client.SendAsync(message);
            return response.StatusCode;
        }));
        var valid = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/echo") { Content = new StringContent($"valid-{i}") };
            message.Headers.Add("X-Call-Id", $"valid-{i}");
            message.Headers.Add("X-Callback-Url", callback.Url + "/done");
            using var response = await TestHttp.Client.SendAsync(message);
            return response.StatusCode;
        }));

        Assert.All(flood, status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.All(valid, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.True(await callback.WaitForAsync(20, TimeSpan.FromSeconds(30)), $"{callback.Received.Count} of 20 valid calls were called back");
        Assert.Equal(20, callback.Received.Select(c => c.CallId).Distinct().Count());
        using var sync = await TestHttp.Client.PostAsync(gateway.Url + "/function/echo", new StringContent("still here"));
        Assert.Equal("still here", await sync.Content.ReadAsStringAsync());
    }
}
