using System.Text;
using Faas.Gateway.Triggers;
using NATS.Client.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Faas.Gateway.Tests.Triggers;

public class TopicTriggersTests
{
    [Fact]
    public async Task Messages_on_a_functions_topics_invoke_it_and_requests_get_its_answer()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("listener", "sh -c 'echo $Http_X_Topic $(cat) | tee /dev/stderr'", ""","annotations":{"topic":"orders.created, orders.paid"}""");
        await gateway.WaitForAvailableAsync("listener");
        var topics = gateway.Services.GetRequiredService<TopicTriggers>();
        Assert.True(await ProcessTable.EventuallyAsync(() => topics.Subjects.Count == 2, TimeSpan.FromSeconds(10)));
        await using var client = new NatsConnection(new NatsOpts { Url = nats.Url });

        await client.PublishAsync("orders.created", "order-1"u8.ToArray());
        var reply = await client.RequestAsync<byte[], byte[]>("orders.paid", "order-2"u8.ToArray(), replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(10) });
        IReadOnlyList<string> seen = [];
        var both = await ProcessTable.EventuallyAsync(async () => (seen = [.. (await gateway.LogLinesAsync("listener")).Where(line => line.StartsWith("orders.", StringComparison.Ordinal))]).Count == 2, TimeSpan.FromSeconds(10));

        Assert.Equal("orders.paid order-2\n", Encoding.UTF8.GetString(reply.Data!));
        Assert.Equal("200", reply.Headers!["X-Function-Status"].ToString());
        Assert.True(both, $"the function logged {string.Join(" | ", seen)}");
        Assert.Equal(["orders.created order-1", "orders.paid order-2"], seen.Order());

        using var removed = await gateway.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, gateway.Url + "/system/functions") { Content = GatewayFixture.Json("""{"functionName":"listener"}""") });
        Assert.True(await ProcessTable.EventuallyAsync(() => topics.Subjects.Count == 0, TimeSpan.FromSeconds(10)), "still subscribed after the function was removed");
    }

    [Fact]
    public async Task A_functions_answer_goes_to_its_reply_topic_and_topics_for_other_connectors_are_not_subscribed()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("relay", "sh -c 'echo relayed $(cat)'", ""","annotations":{"topic":"nats:work.in, mqtt:work/in","reply-topic":"rabbitmq:x.y, nats:work.out"}""");
        await gateway.WaitForAvailableAsync("relay");
        var topics = gateway.Services.GetRequiredService<TopicTriggers>();
        Assert.True(await ProcessTable.EventuallyAsync(() => topics.Subjects.Count == 1, TimeSpan.FromSeconds(10)));
        await using var client = new NatsConnection(new NatsOpts { Url = nats.Url });
        await using var answers = await client.SubscribeCoreAsync<byte[]>("work.out");

        await client.PublishAsync("work.in", "job-7"u8.ToArray());
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = await answers.Msgs.ReadAsync(wait.Token);

        Assert.Equal(["work.in"], topics.Subjects);
        Assert.Equal("relayed job-7\n", Encoding.UTF8.GetString(answer.Data!));
        Assert.Equal("200", answer.Headers!["X-Function-Status"].ToString());
    }

    [Fact]
    public async Task A_reply_topic_the_function_itself_listens_to_is_refused_at_deploy_and_nothing_is_deployed()
    {
        await using var gateway = await GatewayFixture.StartAsync();

        using var response = await gateway.DeployAsync("echoer", "cat", ""","annotations":{"topic":"chat.*","reply-topic":"chat.echo"}""");
        using var listed = await gateway.Admin.GetAsync(gateway.Url + "/system/functions");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("annotation reply-topic: \"chat.echo\" is matched by the function's own topic \"chat.*\" on nats: every answer would invoke the function again",
            (await response.Content.ReadAsStringAsync()).Trim());
        Assert.Equal("[]", (await listed.Content.ReadAsStringAsync()).Trim());
    }
}
