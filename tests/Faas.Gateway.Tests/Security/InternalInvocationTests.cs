using System.Net;
using System.Text;
using Faas.Gateway.Tests.Async;
using Faas.Gateway.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Faas.Gateway.Tests.Security;

/// <summary>
/// With invocations behind the admin credentials, the gateway's own invocations (the queue worker, cron and topic
/// triggers) still pass, without the password, and no function sees how they passed.
/// </summary>
public class InternalInvocationTests
{
    /// <summary>Prints the variables the watchdog made of the request's headers that name the internal token, then "ran".</summary>
    private const string Probe = "sh -c 'env | grep -i faas_[i]nternal; echo ran $Http_X_Connector | tee /dev/stderr'";

    [Fact]
    public async Task Async_calls_and_cron_triggers_are_invoked_with_authentication_on()
    {
        await using var callbacks = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(options => options.AuthenticateInvocations = true);
        using var _ = await gateway.DeployAsync("guarded", Probe, ""","annotations":{"schedule":"34 12 29 2 *"}""");
        await gateway.WaitForAvailableAsync("guarded");

        using var anonymous = await TestHttp.Client.PostAsync(gateway.Url + "/async-function/guarded", new StringContent(""));
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/guarded") { Content = new StringContent("") };
        request.Headers.Add("X-Callback-Url", callbacks.Url + "/done");
        using var accepted = await gateway.Admin.SendAsync(request);
        await gateway.Services.GetRequiredService<CronTriggers>().FireDueAsync(new DateTime(2028, 2, 29, 12, 34, 0, DateTimeKind.Utc), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True(await callbacks.WaitForAsync(1, TimeSpan.FromSeconds(20)), "no callback");
        var callback = Assert.Single(callbacks.Received);
        Assert.Equal(200, callback.Status);
        Assert.Equal("ran\n", callback.Body);
        Assert.True(await ProcessTable.EventuallyAsync(async () => (await gateway.LogLinesAsync("guarded")).Contains($"ran {CronTriggers.TriggerName}"), TimeSpan.FromSeconds(10)),
            "the cron trigger did not run the function");
    }

    [Fact]
    public async Task Topic_triggers_and_jetstream_calls_are_invoked_with_authentication_on()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var callbacks = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(options => options.AuthenticateInvocations = true, async => async.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("guarded", Probe, ""","annotations":{"topic":"guarded.events"}""");
        await gateway.WaitForAvailableAsync("guarded");
        var topics = gateway.Services.GetRequiredService<TopicTriggers>();
        Assert.True(await ProcessTable.EventuallyAsync(() => topics.Subjects.Count == 1, TimeSpan.FromSeconds(10)));
        await using var client = new NATS.Client.Core.NatsConnection(new NATS.Client.Core.NatsOpts { Url = nats.Url });

        var reply = await client.RequestAsync<byte[], byte[]>("guarded.events", "event"u8.ToArray(), replyOpts: new NATS.Client.Core.NatsSubOpts { Timeout = TimeSpan.FromSeconds(10) });
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/guarded") { Content = new StringContent("") };
        request.Headers.Add("X-Callback-Url", callbacks.Url + "/done");
        request.Headers.Add(Faas.Gateway.Security.InternalCaller.Header, "guessed");
        using var accepted = await gateway.Admin.SendAsync(request);

        Assert.Equal("200", reply.Headers!["X-Function-Status"].ToString());
        Assert.Equal($"ran {TopicTriggers.TriggerName}\n", Encoding.UTF8.GetString(reply.Data!));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True(await callbacks.WaitForAsync(1, TimeSpan.FromSeconds(20)), "no callback");
        Assert.Equal(200, Assert.Single(callbacks.Received).Status);
        Assert.Equal("ran\n", Assert.Single(callbacks.Received).Body);
    }
}
