using System.Net;
using System.Text;

namespace Faas.Gateway.Tests.Async;

/// <summary>How the queue worker delivers a result: only to addresses callbacks may reach, and only where the caller said.</summary>
public class CallbackSenderTests
{
    [Fact]
    public async Task A_callback_whose_name_resolves_outside_the_allowed_networks_is_not_sent_and_dead_lettered_after_one_try()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options =>
        {
            options.NatsUrl = nats.Url;
            options.CallbackAllowedNetworks = ["127.0.0.2"];
        });
        using var _ = await gateway.DeployAsync("answer", "sh -c 'echo answered $(cat)'");
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/answer") { Content = new StringContent("fenced in") };
        request.Headers.Add("X-Callback-Url", $"http://localhost:{new Uri(receiver.Url).Port}/done");
        request.Headers.Add("X-Call-Id", "fenced");

        using var accepted = await TestHttp.Client.SendAsync(request);
        await using var inspector = new JetStreamInspector(nats.Url);
        var dead = await ProcessTable.EventuallyAsync(async () => await inspector.CountAsync(JetStreamInspector.DeadLetters) == 1, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True(dead, "the call was not dead-lettered; " + gateway.Warnings);
        var letter = await inspector.LastAsync(JetStreamInspector.DeadLetters, "faas.dead.openfaas-fn.answer.fenced");
        Assert.Equal("answered fenced in\n", Encoding.UTF8.GetString(letter.Data!));
        Assert.Contains("could not be delivered: ", letter.Headers!["Faas-Dead-Reason"].ToString());
        Assert.Contains("is outside the networks callbacks may reach (Gateway:Async:CallbackAllowedNetworks: 127.0.0.2/32)", letter.Headers["Faas-Dead-Reason"].ToString());
        Assert.Empty(receiver.Received);
        Assert.Single(gateway.Warnings.Lines, line => line.Contains("Callback for fenced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirect_is_the_receivers_answer_and_is_not_followed()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("answer", "cat");
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/answer") { Content = new StringContent("where to?") };
        request.Headers.Add("X-Callback-Url", receiver.Url + "/moved");

        using var accepted = await TestHttp.Client.SendAsync(request);
        await using var inspector = new JetStreamInspector(nats.Url);
        var finished = await ProcessTable.EventuallyAsync(async () => receiver.Redirected == 1 && await inspector.CountAsync(JetStreamInspector.Queue) == 0,
            TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True(finished, $"the callback was not answered ({receiver.Redirected} redirects); " + gateway.Warnings);
        Assert.Empty(receiver.Received);
        Assert.Equal(0L, await inspector.CountAsync(JetStreamInspector.DeadLetters));
    }
}
