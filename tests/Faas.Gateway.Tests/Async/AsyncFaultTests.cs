using System.Diagnostics;
using System.Net;
using System.Text;
using Faas.Gateway.Async;
using Faas.Provider;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Faas.Gateway.Tests.Async;

/// <summary>Bad input and a NATS that is down, late or crashed: each degrades async invocation only, and loses or repeats nothing.</summary>
public class AsyncFaultTests
{
    public static TheoryData<string, string, string> BadHeaders => new()
    {
        { "X-Callback-Url", "nope", "X-Callback-Url \"nope\" is not an absolute http or https URL" },
        { "X-Callback-Url", "file:///etc/passwd", "X-Callback-Url \"file:///etc/passwd\" is not an absolute http or https URL" },
        { "X-Callback-Url", "http://169.254.169.254/latest/meta-data/iam/",
            "X-Callback-Url \"http://169.254.169.254/latest/meta-data/iam/\" is refused: 169.254.169.254 is in 169.254.0.0/16, which callbacks may not reach (Gateway:Async:CallbackDeniedNetworks)" },
        { "X-Callback-Url", "http://[::ffff:169.254.169.254]/", "is refused: 169.254.169.254 is in 169.254.0.0/16" },
        { "X-Call-Id", new string('a', 5000), "X-Call-Id must be 1 to 128 letters, digits, '-', '_' or ':' (got 5000 characters" },
        { "X-Call-Id", "a.b", "X-Call-Id must be 1 to 128 letters" },
        { "X-Call-Id", "a*>", "X-Call-Id must be 1 to 128 letters" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public async Task A_bad_call_id_or_callback_url_is_400_and_nothing_is_queued(string header, string value, string expected)
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => { options.NatsUrl = nats.Url; options.RunWorker = false; });
        using var _ = await gateway.DeployAsync("target", "cat");
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/target") { Content = new StringContent("x") };
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await TestHttp.Client.SendAsync(request);
        using var good = await TestHttp.Client.PostAsync(gateway.Url + "/async-function/target", new StringContent("y"));
        await using var inspector = new JetStreamInspector(nats.Url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        Assert.Equal(1L, await inspector.CountAsync(JetStreamInspector.Queue));
    }

    [Fact]
    public async Task Messages_the_worker_cannot_handle_are_dead_lettered_once_and_valid_calls_still_complete()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => { options.NatsUrl = nats.Url; options.AckWait = TimeSpan.FromSeconds(1); });
        using var _ = await gateway.DeployAsync("echo", "cat");
        await gateway.WaitForAvailableAsync("echo");
        await using var inspector = new JetStreamInspector(nats.Url);
        var jetStream = new NatsJSContext(inspector.Connection);

        // As a message stored by an older gateway, or by anyone who can publish to the queue's subjects, might be.
        (await jetStream.PublishAsync("faas.async.garbage", "?"u8.ToArray())).EnsureSuccess();
        (await jetStream.PublishAsync("faas.async.openfaas-fn.echo.poisoned", "body"u8.ToArray(),
            headers: new NatsHeaders { ["Faas-Callback-Url"] = "nope" })).EnsureSuccess();
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/echo") { Content = new StringContent("fine") };
        request.Headers.Add("X-Callback-Url", callback.Url + "/done");
        using var accepted = await TestHttp.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True(await callback.WaitForAsync(1, TimeSpan.FromSeconds(20)), "the valid call was not called back");
        Assert.True(await ProcessTable.EventuallyAsync(async () => await inspector.CountAsync(JetStreamInspector.Queue) == 0, TimeSpan.FromSeconds(20)),
            "a message is still in the queue");
        Assert.Equal(["faas.dead.openfaas-fn.echo.poisoned", "faas.dead.unreadable"], await inspector.SubjectsAsync(JetStreamInspector.DeadLetters, "faas.dead.>"));
        var poisoned = await inspector.LastAsync(JetStreamInspector.DeadLetters, "faas.dead.openfaas-fn.echo.poisoned");
        Assert.Contains("the worker failed", poisoned.Headers!["Faas-Dead-Reason"].ToString());

        // Still there a few ack waits later: nothing is handed out again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(2L, await inspector.CountAsync(JetStreamInspector.DeadLetters));
        Assert.Equal("fine", Assert.Single(callback.Received).Body);
    }

    [Fact]
    public async Task A_callback_that_keeps_failing_is_dead_lettered_with_the_functions_answer()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("answer", "sh -c 'echo answered $(cat)'");
        var closedPort = FreePort.Next();
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/answer") { Content = new StringContent("late") };
        request.Headers.Add("X-Callback-Url", $"http://127.0.0.1:{closedPort}/nobody-listens");
        request.Headers.Add("X-Call-Id", "unheard");

        using var accepted = await TestHttp.Client.SendAsync(request);
        await using var inspector = new JetStreamInspector(nats.Url);
        var dead = await ProcessTable.EventuallyAsync(async () => (await inspector.SubjectsAsync(JetStreamInspector.DeadLetters, "faas.dead.>")).Count == 1, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True(dead, "the call was not dead-lettered");
        var letter = await inspector.LastAsync(JetStreamInspector.DeadLetters, "faas.dead.openfaas-fn.answer.unheard");
        Assert.Equal("answered late\n", Encoding.UTF8.GetString(letter.Data!));
        Assert.Equal("200", letter.Headers!["Faas-Result-Status"].ToString());
        Assert.Contains("could not be delivered", letter.Headers["Faas-Dead-Reason"].ToString());
        Assert.Equal(0L, await inspector.CountAsync(JetStreamInspector.Queue));
    }

    [Fact]
    public async Task Without_NATS_the_gateway_starts_serves_sync_and_answers_async_503_quickly_then_recovers()
    {
        await using var nats = NatsServerProcess.NotStarted();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("echo", "cat");
        await gateway.WaitForAvailableAsync("echo");

        var sync = await TestHttp.Client.PostAsync(gateway.Url + "/function/echo", new StringContent("sync"));
        var clock = Stopwatch.StartNew();
        using var refused = await TestHttp.Client.PostAsync(gateway.Url + "/async-function/echo", new StringContent("async"));
        var waited = clock.Elapsed;
        var health = await TestHttp.Client.GetStringAsync(gateway.Url + "/healthz");
        var metrics = await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics");

        Assert.Equal("sync", await sync.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains($"NATS at {nats.Url}", await refused.Content.ReadAsStringAsync());
        Assert.True(waited < TimeSpan.FromSeconds(5), $"the 503 took {waited}");
        Assert.StartsWith("OK\nasync: unavailable: NATS at", health);
        Assert.Contains("gateway_async_queue_up 0", metrics);

        await nats.StartLaterAsync();
        HttpStatusCode status = 0;
        Assert.True(await ProcessTable.EventuallyAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/echo") { Content = new StringContent("after") };
            request.Headers.Add("X-Callback-Url", callback.Url + "/done");
            using var response = await TestHttp.Client.SendAsync(request);
            return (status = response.StatusCode) == HttpStatusCode.Accepted;
        }, TimeSpan.FromSeconds(30)), $"async still answers {status} after NATS started");
        Assert.True(await callback.WaitForAsync(1, TimeSpan.FromSeconds(20)));
        Assert.Equal("OK\n", await TestHttp.Client.GetStringAsync(gateway.Url + "/healthz"));
    }

    [Theory]
    [InlineData("Gateway__Async__NatsUrl", "not a url", "invalid Gateway:Async:NatsUrl=\"not a url\": expected a URL such as nats://127.0.0.1:4222")]
    [InlineData("Gateway__Local__WatchdogPath", "/nonexistent/watchdog", "gateway: Gateway:Local:WatchdogPath: the watchdog executable was not found at /nonexistent/watchdog")]
    public async Task A_setting_that_cannot_work_exits_2_with_one_line(string variable, string value, string expected)
    {
        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string> { [variable] = value });

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task After_nats_server_is_killed_finished_calls_are_neither_counted_nor_cancellable()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("quick", "cat");
        await gateway.WaitForAvailableAsync("quick");
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/quick") { Content = new StringContent($"call {i}") };
            request.Headers.Add("X-Callback-Url", callback.Url + "/done");
            request.Headers.Add("X-Call-Id", $"done-{i}");
            using var accepted = await TestHttp.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        Assert.True(await callback.WaitForAsync(20, TimeSpan.FromSeconds(30)));
        await nats.KillAsync();
        await nats.StartLaterAsync();
        var queue = gateway.Services.GetRequiredService<IAsyncQueue>();
        Assert.True(await ProcessTable.EventuallyAsync(() => queue.Problem is null, TimeSpan.FromSeconds(20)), $"the gateway did not reconnect: {queue.Problem}");

        var depth = await queue.DepthAsync(new FunctionKey("quick", "openfaas-fn"), CancellationToken.None);
        using var cancelFinished = await TestHttp.Client.DeleteAsync(gateway.Url + "/async-function/done-3");
        await using var inspector = new JetStreamInspector(nats.Url);

        Assert.Equal(0, depth);
        Assert.Equal(HttpStatusCode.NotFound, cancelFinished.StatusCode);
        Assert.Equal(0L, await inspector.CountAsync(JetStreamInspector.Queue));
        Assert.Equal(20, callback.Received.Select(c => c.CallId).Distinct().Count());
    }
}
