using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faas.Gateway.Tests.Async;

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
    public async Task With_NATS_down_functions_still_scale_on_their_requests_and_one_scaled_on_its_queue_is_left_saying_why()
    {
        // Nothing listens there: the queue is down from the start.
        await using var gateway = await StartAsync(natsUrl: $"nats://127.0.0.1:{FreePort.Next()}");
        using var busy = await gateway.DeployAsync("busy", "sleep 1.5",
            ""","labels":{"com.openfaas.scale.type":"capacity","com.openfaas.scale.target":"2","com.openfaas.scale.max":"4"}""");
        using var queued = await gateway.DeployAsync("queued", "cat", ""","labels":{"com.openfaas.scale.type":"queue","com.openfaas.scale.max":"4"}""");
        await gateway.WaitForAvailableAsync("busy");

        var burst = Enumerable.Range(0, 8).Select(_ => TestHttp.Client.PostAsync(gateway.Url + "/function/busy", new StringContent(""))).ToList();
        var raised = await ReplicasBecomeAsync(gateway, "busy", 4, TimeSpan.FromSeconds(3));
        await Task.WhenAll(burst);

        Assert.True(raised, "8 requests in flight with target 2 did not bring 4 replicas within 3 s while NATS was down");
        var queueScaling = (await StatusAsync(gateway, "queued")).GetProperty("scaling");
        Assert.StartsWith("left at 1: NATS at nats://127.0.0.1:", queueScaling.GetProperty("lastDecision").GetString());
        Assert.Equal(1, (await StatusAsync(gateway, "queued")).GetProperty("replicas").GetInt32());
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
    public async Task The_queue_is_counted_only_for_functions_whose_scaling_depends_on_it()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await StartAsync(nats.Url);
        using var plain = await gateway.DeployAsync("plain", "cat");
        using var queued = await gateway.DeployAsync("queued", "cat", ""","labels":{"com.openfaas.scale.type":"queue"}""");
        using var idler = await gateway.DeployAsync("idler", "cat", ""","labels":{"com.openfaas.scale.zero":"true"}""");
        await gateway.WaitForAvailableAsync("plain");
        await using var inspector = new Async.JetStreamInspector(nats.Url);

        // The count is a stream-info request filtered on the function's subjects; a subscriber sees each one.
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            await foreach (var request in inspector.Connection.SubscribeAsync<string>($"$JS.API.STREAM.INFO.{Async.JetStreamInspector.Queue}", cancellationToken: watching.Token))
            {
                requests.Enqueue(request.Data ?? "");
            }
        });
        await Task.Delay(Interval * 10);
        await watching.CancelAsync();
        await watcher.ContinueWith(_ => { }, TaskScheduler.Default);

        int Counts(string function) => requests.Count(request => request.Contains($".{function}.", StringComparison.Ordinal));
        Assert.True(Counts("queued") >= 3, $"the queue-scaled function was counted {Counts("queued")} times in 10 rounds");
        Assert.True(Counts("idler") >= 3, $"the function that may go to zero was counted {Counts("idler")} times in 10 rounds");
        Assert.Equal(0, Counts("plain"));
    }

    [Fact]
    public async Task An_idle_function_goes_to_zero_and_comes_back_for_a_sync_request_and_for_a_queued_message()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await StartAsync(nats.Url);
        using var _ = await gateway.DeployAsync("sleeper", "cat",
            ""","labels":{"com.openfaas.scale.zero":"true","com.openfaas.scale.zero-duration":"2s"}""");
        await gateway.WaitForAvailableAsync("sleeper");

        var idled = await ReplicasBecomeAsync(gateway, "sleeper", 0, TimeSpan.FromSeconds(6));
        using var woken = await TestHttp.Client.PostAsync(gateway.Url + "/function/sleeper", new StringContent("wake up"));
        // Idle counts from the last answer: the replica that answered the waking request stays for 2 s after it.
        var back = (await StatusAsync(gateway, "sleeper")).GetProperty("replicas").GetInt32();
        var idledAgain = await ReplicasBecomeAsync(gateway, "sleeper", 0, TimeSpan.FromSeconds(6));
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
        Assert.Equal("rps, target 50 per replica, 1-20 replicas, to zero after 2s idle", (await StatusAsync(gateway, "sleeper")).GetProperty("scaling").GetProperty("policy").GetString());
    }

    [Fact]
    public async Task A_function_without_scaling_labels_autoscales_on_request_rate_and_comes_back_down()
    {
        await using var gateway = await StartAsync();
        // A maximum of 2 asks for only 50 requests a second: a busy CI machine once served this loop below 100.
        using var _ = await gateway.DeployAsync("plain", "cat", ""","labels":{"com.openfaas.scale.max":"2"}""");
        await gateway.WaitForAvailableAsync("plain");

        bool raised;
        await using (LoadLoop.Post(gateway.Url + "/function/plain", concurrency: 8))
        {
            raised = await ReplicasBecomeAsync(gateway, "plain", 2, TimeSpan.FromSeconds(15));
        }

        var scaling = (await StatusAsync(gateway, "plain")).GetProperty("scaling");
        var lowered = await ReplicasBecomeAsync(gateway, "plain", 1, TimeSpan.FromSeconds(30));

        Assert.True(raised, $"steady traffic above 50 requests a second did not bring the 2 replicas its rate asks for; last decision: {scaling.GetProperty("lastDecision")}");
        Assert.Equal("rps, target 50 per replica, 1-2 replicas", scaling.GetProperty("policy").GetString());
        Assert.True(lowered, "did not return to 1 replica after the traffic stopped");
    }

    [Fact]
    public async Task Scale_factor_zero_turns_autoscaling_off_and_a_hand_scaled_count_stays()
    {
        await using var gateway = await StartAsync();
        using var _ = await gateway.DeployAsync("fixed", "cat", ""","labels":{"com.openfaas.scale.factor":"0"}""");
        await gateway.WaitForAvailableAsync("fixed");
        using var scaled = await gateway.Admin.PostAsync(gateway.Url + "/system/scale-function/fixed", GatewayFixture.Json("""{"serviceName":"fixed","replicas":2}"""));
        await gateway.WaitForAvailableAsync("fixed", 2);

        bool changed;
        await using (LoadLoop.Post(gateway.Url + "/function/fixed", concurrency: 8))
        {
            changed = await ProcessTable.EventuallyAsync(async () => (await StatusAsync(gateway, "fixed")).GetProperty("replicas").GetInt32() != 2, TimeSpan.FromSeconds(6));
        }

        Assert.Equal(HttpStatusCode.Accepted, scaled.StatusCode);
        Assert.False(changed, "the autoscaler changed a function labelled com.openfaas.scale.factor=0");
        Assert.False((await StatusAsync(gateway, "fixed")).TryGetProperty("scaling", out var scaling) && scaling.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task A_function_scaled_to_zero_by_hand_after_traffic_stays_there_until_a_request_brings_it_back()
    {
        await using var gateway = await StartAsync();
        using var _ = await gateway.DeployAsync("parked", "cat");
        await gateway.WaitForAvailableAsync("parked");
        await using (LoadLoop.Post(gateway.Url + "/function/parked", concurrency: 4))
        {
            await Task.Delay(Interval * 3);
        }

        using var scaled = await gateway.Admin.PostAsync(gateway.Url + "/system/scale-function/parked", GatewayFixture.Json("""{"serviceName":"parked","replicas":0}"""));
        var parked = await ReplicasBecomeAsync(gateway, "parked", 0, TimeSpan.FromSeconds(5));
        // Ten rounds, the request rate of the traffic still in its window: none may start a replica.
        var undone = await ProcessTable.EventuallyAsync(async () => (await StatusAsync(gateway, "parked")).GetProperty("replicas").GetInt32() != 0, Interval * 10);
        var reason = (await StatusAsync(gateway, "parked")).GetProperty("scaling").GetProperty("lastDecision").GetString();
        using var woken = await TestHttp.Client.PostAsync(gateway.Url + "/function/parked", new StringContent("back"));

        Assert.Equal(HttpStatusCode.Accepted, scaled.StatusCode);
        Assert.True(parked, "the scale to zero did not take");
        Assert.False(undone, "the autoscaler brought back a function scaled to zero by hand, with no request waiting");
        Assert.Equal("stays at zero, where it was scaled: the next request brings it back", reason);
        Assert.Equal("back", await woken.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scale_to_zero_works_with_the_default_settings()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("idler", "cat",
            ""","labels":{"com.openfaas.scale.zero":"true","com.openfaas.scale.zero-duration":"2s"}""");
        await gateway.WaitForAvailableAsync("idler");

        var idled = await ReplicasBecomeAsync(gateway, "idler", 0, TimeSpan.FromSeconds(10));
        using var woken = await TestHttp.Client.PostAsync(gateway.Url + "/function/idler", new StringContent("again"));

        Assert.True(idled, "an idle function labelled to scale to zero after 2s was still running 10s later with default gateway settings");
        Assert.Equal("again", await woken.Content.ReadAsStringAsync());
    }
}
