using System.Net;
using System.Text.Json;

namespace Faas.Gateway.Tests.Async;

/// <summary>
/// Dead letters listed and re-driven through the admin API, on JetStream (a real nats-server) and on the in-process
/// queue: the same call id, body and path run again; a call dead again is a new dead letter (not lost to
/// de-duplication); a dead letter that keeps the function's answer is refused.
/// </summary>
public class DeadLetterRedriveTests
{
    [Fact]
    public async Task On_JetStream_a_dead_letter_is_listed_re_driven_dead_again_and_finally_run()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(options => options.ScaleFromZero = false, options =>
        {
            options.NatsUrl = nats.Url;
            options.MaxAttempts = 2;
            options.RetryDelay = TimeSpan.FromMilliseconds(100);
        });
        await RedriveAsync(gateway, expectRepeatable: true);
    }

    [Fact]
    public async Task With_NATS_down_dead_letters_answer_503_naming_the_problem()
    {
        // Nothing listens there: the queue is down from the start.
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = $"nats://127.0.0.1:{FreePort.Next()}");
        using var _ = await gateway.DeployAsync("waiting", "cat");

        using var listed = await gateway.Admin.GetAsync(gateway.Url + "/system/dead-letters?name=waiting");
        using var redriven = await gateway.Admin.PostAsync(gateway.Url + "/system/dead-letters/redrive", GatewayFixture.Json("""{"name":"waiting","id":"call-1"}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, listed.StatusCode);
        Assert.StartsWith("the async queue cannot list the dead letters: NATS at nats://127.0.0.1:", await listed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, redriven.StatusCode);
        Assert.StartsWith("the async queue cannot ", await redriven.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task In_process_a_dead_letter_is_listed_re_driven_and_run()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.ScaleFromZero = false, options =>
        {
            options.MaxAttempts = 2;
            options.RetryDelay = TimeSpan.FromMilliseconds(100);
        });
        await RedriveAsync(gateway, expectRepeatable: true);
    }

    [Fact]
    public async Task On_JetStream_dead_letters_are_listed_oldest_first_and_only_the_functions_own()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(options => options.ScaleFromZero = false, options =>
        {
            options.NatsUrl = nats.Url;
            options.MaxAttempts = 1;
            options.MaxInflight = 1;
        });
        foreach (var name in new[] { "first", "other" })
        {
            (await gateway.DeployAsync(name, "cat", ""","labels":{"com.openfaas.scale.factor":"0","com.openfaas.scale.min":"0"}""")).EnsureSuccessStatusCode();
            using var scaled = await gateway.Admin.PostAsync(gateway.Url + $"/system/scale-function/{name}", GatewayFixture.Json("""{"replicas":0}"""));
        }

        var calls = new List<string>();
        foreach (var function in new[] { "first", "other", "first", "first" })
        {
            using var accepted = await gateway.Admin.PostAsync(gateway.Url + "/async-function/" + function, new StringContent(function));
            if (function == "first")
            {
                calls.Add(accepted.Headers.GetValues("X-Call-Id").Single());
            }

            // One at a time, so that they die in the order they were sent.
            await Eventually(async () => (await QueueOfAsync(gateway, function)).GetProperty("depth").GetInt32() == 0);
        }

        await Eventually(async () => (await QueueOfAsync(gateway, "first")).GetProperty("deadLettered").GetInt64() == 3);
        using var listed = await JsonDocument.ParseAsync(await gateway.Admin.GetStreamAsync(gateway.Url + "/system/dead-letters?name=first"));
        Assert.Equal(calls, listed.RootElement.EnumerateArray().Select(letter => letter.GetProperty("callId").GetString()));
    }

    [Fact]
    public async Task A_dead_letter_holding_the_functions_answer_cannot_be_re_driven()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        (await gateway.DeployAsync("answers", "cat")).EnsureSuccessStatusCode();

        // The callback goes nowhere (a closed loopback port): the answer is kept in the dead letter instead of the request.
        using var accepted = await gateway.Admin.PostAsync(gateway.Url + "/async-function/answers", new StringContent("x")
        {
            Headers = { { "X-Callback-Url", $"http://127.0.0.1:{FreePort.Next()}/callback" } },
        });
        var letter = await WaitForDeadLetterAsync(gateway, "answers");
        Assert.NotNull(letter.GetProperty("notRedrivable").GetString());
        using var refused = await RedrivePostAsync(gateway, "answers", letter.GetProperty("id").GetString()!);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    private static async Task RedriveAsync(GatewayFixture gateway, bool expectRepeatable)
    {
        // No autoscaler (factor 0): it would bring the function back to its minimum of one replica.
        (await gateway.DeployAsync("later", "cat", ""","labels":{"com.openfaas.scale.factor":"0"}""")).EnsureSuccessStatusCode();
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/later", TimeSpan.FromSeconds(20));
        await ScaleAsync(gateway, 0);
        await Eventually(async () =>
        {
            using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/later", new StringContent(""));
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        });
        using var accepted = await gateway.Admin.PostAsync(gateway.Url + "/async-function/later/path?q=1", new StringContent("the body"));
        var callId = accepted.Headers.GetValues("X-Call-Id").Single();

        var letter = await WaitForDeadLetterAsync(gateway, "later");
        Assert.Equal(callId, letter.GetProperty("callId").GetString());
        Assert.Equal("/path?q=1", letter.GetProperty("path").GetString());
        Assert.Equal(8, letter.GetProperty("bodyBytes").GetInt64());
        Assert.Equal(2, letter.GetProperty("attempts").GetInt64());
        Assert.Equal(JsonValueKind.Null, letter.GetProperty("notRedrivable").ValueKind);

        if (expectRepeatable)
        {
            // Still at zero: the re-driven call dies again and is listed again, under the same call id.
            using (var again = await RedrivePostAsync(gateway, "later", letter.GetProperty("id").GetString()!))
            {
                Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            }

            letter = await WaitForDeadLetterAsync(gateway, "later", deadLettered: 2);
            Assert.Equal(callId, letter.GetProperty("callId").GetString());
        }

        await ScaleAsync(gateway, 1);
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/later", TimeSpan.FromSeconds(20));
        using (var redriven = await RedrivePostAsync(gateway, "later", letter.GetProperty("id").GetString()!))
        {
            Assert.Equal(HttpStatusCode.Accepted, redriven.StatusCode);
        }

        using (var missing = await RedrivePostAsync(gateway, "later", letter.GetProperty("id").GetString()!))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        await Eventually(async () => (await QueueOfAsync(gateway, "later")).GetProperty("completed").GetInt64() == 1);
        Assert.Empty((await JsonDocument.ParseAsync(await gateway.Admin.GetStreamAsync(gateway.Url + "/system/dead-letters?name=later"))).RootElement.EnumerateArray());
    }

    private static async Task<JsonElement> WaitForDeadLetterAsync(GatewayFixture gateway, string name, int deadLettered = 1)
    {
        JsonElement found = default;
        var seen = "";
        await Eventually(async () =>
        {
            var queue = await QueueOfAsync(gateway, name);
            var letters = (await JsonDocument.ParseAsync(await gateway.Admin.GetStreamAsync(gateway.Url + $"/system/dead-letters?name={name}"))).RootElement;
            seen = $"{queue} {letters}";
            if (queue.GetProperty("deadLettered").GetInt64() >= deadLettered && letters.GetArrayLength() == 1)
            {
                found = letters[0].Clone();
                return true;
            }

            return false;
        }, () => seen);
        return found;
    }

    private static async Task<JsonElement> QueueOfAsync(GatewayFixture gateway, string name)
    {
        using var document = await JsonDocument.ParseAsync(await gateway.Admin.GetStreamAsync(gateway.Url + "/system/async-queues"));
        return document.RootElement.GetProperty("functions").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name).Clone();
    }

    private static Task<HttpResponseMessage> RedrivePostAsync(GatewayFixture gateway, string name, string id) =>
        gateway.Admin.PostAsync(gateway.Url + "/system/dead-letters/redrive", GatewayFixture.Json($$"""{"name":"{{name}}","id":"{{id}}"}"""));

    private static async Task ScaleAsync(GatewayFixture gateway, int replicas)
    {
        using var scaled = await gateway.Admin.PostAsync(gateway.Url + "/system/scale-function/later", GatewayFixture.Json($$"""{"serviceName":"later","replicas":{{replicas}}}"""));
        Assert.Equal(HttpStatusCode.Accepted, scaled.StatusCode);
    }

    private static async Task Eventually(Func<Task<bool>> condition, Func<string>? seen = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the condition did not hold within 30 s; last seen: {seen?.Invoke()}");
            await Task.Delay(100);
        }
    }
}
