using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faas.Gateway.Tests.Async;
using Faas.Testing;

namespace Faas.Gateway.Tests.Scaling;

/// <summary>The autoscaler with real replicas on the local backend (and a real nats-server for queue depth), on short intervals.</summary>
public class AutoscalerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    private static Task<GatewayFixture> StartAsync(string? natsUrl = null) =>
        GatewayFixture.StartAsync(
            options =>
            {
                options.Autoscaling.Interval = Interval;
                options.Autoscaling.StabilizationWindow = TimeSpan.FromSeconds(2);
                options.UpstreamTimeout = TimeSpan.FromSeconds(20);
            },
            async => async.NatsUrl = natsUrl);

    private static async Task<JsonElement> StatusAsync(GatewayFixture gateway, string name) =>
        await gateway.Admin.GetFromJsonAsync<JsonElement>($"{gateway.Url}/system/function/{name}");

    private static async Task<bool> ReplicasBecomeAsync(GatewayFixture gateway, string name, int replicas, TimeSpan within) =>
        await ProcessTable.EventuallyAsync(async () => (await StatusAsync(gateway, name)).GetProperty("replicas").GetInt32() == replicas, within);

    [Fact]
    public async Task A_burst_of_sync_requests_raises_a_capacity_function_and_it_returns_after_the_window()
    {
        await using var gateway = await StartAsync();
        using var _ = await gateway.DeployAsync("busy", "sleep 1.5",
            ""","labels":{"com.openfaas.scale.type":"capacity","com.openfaas.scale.target":"2","com.openfaas.scale.max":"4"}""");
        await gateway.WaitForAvailableAsync("busy");

        var burst = Enumerable.Range(0, 8).Select(_ => TestHttp.Client.PostAsync(gateway.Url + "/function/busy", new StringContent(""))).ToList();
        var raised = await ReplicasBecomeAsync(gateway, "busy", 4, TimeSpan.FromSeconds(2));
        var responses = await Task.WhenAll(burst);
        var scaling = (await StatusAsync(gateway, "busy")).GetProperty("scaling");
        var lowered = await ReplicasBecomeAsync(gateway, "busy", 1, TimeSpan.FromSeconds(8));

        Assert.True(raised, "8 requests in flight with target 2 did not bring 4 replicas within 2 s");
        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal("capacity, target 2 per replica, 1-4 replicas", scaling.GetProperty("policy").GetString());
        Assert.True(lowered, "did not return to 1 replica after the window");
        var metrics = await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics");
        Assert.Contains("gateway_function_desired_replicas{function_name=\"busy.openfaas-fn\"} 1", metrics);
    }

    [Fact]
    public async Task Five_hundred_queued_messages_raise_a_queue_function_to_its_maximum_within_two_intervals()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await StartAsync(nats.Url);
        using var _ = await gateway.DeployAsync("worker", "sh -c 'sleep 0.05; cat'",
            ""","labels":{"com.openfaas.scale.type":"queue","com.openfaas.scale.target":"20","com.openfaas.scale.max":"4"}""");
        await gateway.WaitForAvailableAsync("worker");

        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            using var accepted = await TestHttp.Client.PostAsync(gateway.Url + "/async-function/worker", new StringContent("job"), token);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        });
        var clock = Stopwatch.StartNew();
        var raised = await ReplicasBecomeAsync(gateway, "worker", 4, Interval * 2 + TimeSpan.FromMilliseconds(300));
        var raisedAfter = clock.Elapsed;
        var lowered = await ReplicasBecomeAsync(gateway, "worker", 1, TimeSpan.FromSeconds(60));

        Assert.True(raised, $"not at 4 replicas {raisedAfter} after 500 messages were queued");
        Assert.True(lowered, "did not return to 1 replica after the queue drained");
    }

    [Fact]
    public async Task An_idle_function_goes_to_zero_and_comes_back_for_a_sync_request_and_for_a_queued_message()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await StartAsync(nats.Url);
        using var _ = await gateway.DeployAsync("sleeper", "cat",
            ""","labels":{"com.openfaas.scale.zero":"true","com.openfaas.scale.zero-duration":"1s"}""");
        await gateway.WaitForAvailableAsync("sleeper");

        var idled = await ReplicasBecomeAsync(gateway, "sleeper", 0, TimeSpan.FromSeconds(5));
        using var woken = await TestHttp.Client.PostAsync(gateway.Url + "/function/sleeper", new StringContent("wake up"));
        var back = (await StatusAsync(gateway, "sleeper")).GetProperty("replicas").GetInt32();
        var idledAgain = await ReplicasBecomeAsync(gateway, "sleeper", 0, TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/sleeper") { Content = new StringContent("queued") };
        request.Headers.Add("X-Callback-Url", callback.Url + "/done");
        using var accepted = await TestHttp.Client.SendAsync(request);
        var calledBack = await callback.WaitForAsync(1, TimeSpan.FromSeconds(20));

        Assert.True(idled, "never scaled to zero");
        Assert.Equal("wake up", await woken.Content.ReadAsStringAsync());
        Assert.Equal(1, back);
        Assert.True(idledAgain);
        Assert.True(calledBack);
        Assert.Equal("queued", Assert.Single(callback.Received).Body);
        Assert.Equal("capacity, target 10 per replica, 1-20 replicas, to zero after 1s idle", (await StatusAsync(gateway, "sleeper")).GetProperty("scaling").GetProperty("policy").GetString());
    }
}
