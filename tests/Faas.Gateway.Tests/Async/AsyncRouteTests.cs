using System.Net;
using System.Text;

namespace Faas.Gateway.Tests.Async;

public class AsyncRouteTests
{
    private static HttpRequestMessage Enqueue(GatewayFixture gateway, string route, string body, CallbackReceiver callback, string? callId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/" + route) { Content = new StringContent(body) };
        request.Headers.Add("X-Callback-Url", callback.Url + "/done");
        if (callId is not null)
        {
            request.Headers.Add("X-Call-Id", callId);
        }

        return request;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Accepted_calls_are_invoked_and_their_results_called_back(bool jetStream)
    {
        await using var nats = jetStream ? await NatsServerProcess.StartAsync() : null;
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats?.Url);
        using var _ = await gateway.DeployAsync("shout", "sh -c 'echo $Http_Path $Http_Query; tr a-z A-Z'");

        using var accepted = await TestHttp.Client.SendAsync(Enqueue(gateway, "shout/sub?x=1", "hello async", callback, "call-1"));
        using var unknown = await TestHttp.Client.SendAsync(Enqueue(gateway, "nobody", "lost?", callback));
        var arrived = await callback.WaitForAsync(1, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("call-1", accepted.Headers.GetValues("X-Call-Id").Single());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.True(arrived, "no callback");
        var result = Assert.Single(callback.Received);
        Assert.Equal(("call-1", "shout", 200), (result.CallId, result.FunctionName, result.Status));
        Assert.Equal("/sub x=1\nHELLO ASYNC", result.Body);
        Assert.True(result.DurationSeconds > 0);
    }

    [Fact]
    public async Task Bodies_larger_than_a_nats_message_pass_and_larger_than_the_limit_are_413()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => { options.NatsUrl = nats.Url; options.MaxBodySize = 4L << 20; });
        using var _ = await gateway.DeployAsync("digest", "sha256sum");
        var large = new byte[3 << 20];
        Random.Shared.NextBytes(large);

        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/digest") { Content = new ByteArrayContent(large) };
        request.Headers.Add("X-Callback-Url", callback.Url + "/done");
        using var accepted = await TestHttp.Client.SendAsync(request);
        using var tooLarge = await TestHttp.Client.PostAsync(gateway.Url + "/async-function/digest", new ByteArrayContent(new byte[5 << 20]));
        var arrived = await callback.WaitForAsync(1, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("the request body for digest.openfaas-fn is over the async limit of 4194304 bytes\n", await tooLarge.Content.ReadAsStringAsync());
        Assert.True(arrived);
        Assert.StartsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(large)), Assert.Single(callback.Received).Body);
    }

    /// <summary>The gateway holds a queued call's response to call it back: a function answering gigabytes took its memory.</summary>
    [Fact]
    public async Task A_response_over_the_async_limit_is_called_back_as_a_failure_not_held()
    {
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => { options.MaxBodySize = 1 << 20; options.MaxAttempts = 1; });
        using var _ = await gateway.DeployAsync("flood", "head -c 3000000 /dev/zero");
        using var small = await gateway.DeployAsync("small", "head -c 1000 /dev/zero");

        using var accepted = await TestHttp.Client.SendAsync(Enqueue(gateway, "flood", "", callback, "call-flood"));
        using var acceptedSmall = await TestHttp.Client.SendAsync(Enqueue(gateway, "small", "", callback, "call-small"));
        var arrived = await callback.WaitForAsync(2, TimeSpan.FromSeconds(30));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (accepted.StatusCode, acceptedSmall.StatusCode));
        Assert.True(arrived, "no callbacks");
        var flood = callback.Received.Single(c => c.CallId == "call-flood");
        Assert.Equal(502, flood.Status);
        Assert.Contains("its response is over the limit of 1048576 bytes", flood.Body, StringComparison.Ordinal);
        var answered = callback.Received.Single(c => c.CallId == "call-small");
        Assert.Equal((200, 1000), (answered.Status, answered.Body.Length));
    }

    [Fact]
    public async Task A_queued_call_can_be_cancelled_and_a_repeated_call_id_is_queued_once()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => { options.NatsUrl = nats.Url; options.RunWorker = false; });
        using var _ = await gateway.DeployAsync("later", "cat");
        await using var inspector = new JetStreamInspector(nats.Url);

        using var first = await TestHttp.Client.SendAsync(Enqueue(gateway, "later", "one", callback, "dup"));
        using var repeated = await TestHttp.Client.SendAsync(Enqueue(gateway, "later", "one", callback, "dup"));
        using var other = await TestHttp.Client.SendAsync(Enqueue(gateway, "later", "two", callback, "keep"));
        var queued = await inspector.CountAsync(JetStreamInspector.Queue);
        using var cancelled = await TestHttp.Client.DeleteAsync(gateway.Url + "/async-function/dup");
        using var again = await TestHttp.Client.DeleteAsync(gateway.Url + "/async-function/dup");
        var left = await inspector.SubjectsAsync(JetStreamInspector.Queue, "faas.async.>");

        Assert.Equal(2L, queued);
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(["faas.async.openfaas-fn.later.keep"], left);
    }

    [Fact]
    public async Task Failing_calls_are_retried_with_backoff_then_dead_lettered_and_called_back()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options =>
        {
            options.NatsUrl = nats.Url;
            options.MaxAttempts = 3;
            options.RetryDelay = TimeSpan.FromMilliseconds(200);
        });
        using var _ = await gateway.DeployHttpAsync("flaky");
        await gateway.WaitForAvailableAsync("flaky");

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var accepted = await TestHttp.Client.SendAsync(Enqueue(gateway, "flaky/status?code=503", "", callback, "doomed"));
        var arrived = await callback.WaitForAsync(1, TimeSpan.FromSeconds(30));
        await using var inspector = new JetStreamInspector(nats.Url);

        // The callback goes out first, then the call is dead-lettered: wait for the dead letter rather than race it.
        var dead = await inspector.SubjectsAsync(JetStreamInspector.DeadLetters, "faas.dead.>");
        for (var i = 0; i < 100 && dead.Count == 0; i++)
        {
            await Task.Delay(50);
            dead = await inspector.SubjectsAsync(JetStreamInspector.DeadLetters, "faas.dead.>");
        }

        var metrics = await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics");

        Assert.True(arrived);
        Assert.Equal(503, Assert.Single(callback.Received).Status);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(600), $"3 attempts with 200 ms and 400 ms between took only {started.Elapsed}");
        Assert.Equal(["faas.dead.openfaas-fn.flaky.doomed"], dead);
        Assert.Contains("gateway_function_invocation_total{function_name=\"flaky.openfaas-fn\",code=\"503\"} 3", metrics);
    }
}
