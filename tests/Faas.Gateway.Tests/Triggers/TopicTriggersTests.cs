using System.Text;
using Faas.Gateway.Triggers;
using Faas.Nats;
using Faas.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Faas.Gateway.Tests.Triggers;

public class TopicTriggersTests
{
    [Fact]
    public async Task Messages_on_a_functions_topics_invoke_it_and_requests_get_its_answer()
    {
        using var marks = new TempDirectory();
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync(configureAsync: options => options.NatsUrl = nats.Url);
        using var _ = await gateway.DeployAsync("listener", $"sh -c 'echo $Http_X_Topic $(cat) | tee -a {marks.Path}/seen'", ""","annotations":{"topic":"orders.created, orders.paid"}""");
        await gateway.WaitForAvailableAsync("listener");
        var topics = gateway.Services.GetRequiredService<TopicTriggers>();
        Assert.True(await ProcessTable.EventuallyAsync(() => topics.Subjects.Count == 2, TimeSpan.FromSeconds(10)));
        await using var client = await NatsConnection.ConnectAsync(new NatsOptions { Url = nats.Url });

        await client.PublishAsync("orders.created", "order-1"u8.ToArray());
        var reply = await client.RequestAsync("orders.paid", "order-2"u8.ToArray(), timeout: TimeSpan.FromSeconds(10));
        var seen = await ProcessTable.EventuallyAsync(() => File.Exists(marks.Combine("seen")) && File.ReadAllLines(marks.Combine("seen")).Length == 2, TimeSpan.FromSeconds(10));

        Assert.Equal("orders.paid order-2\n", Encoding.UTF8.GetString(reply.Data.Span));
        Assert.Equal("200", reply.Headers!["X-Function-Status"]);
        Assert.True(seen);
        Assert.Equal(["orders.created order-1", "orders.paid order-2"], File.ReadAllLines(marks.Combine("seen")).Order());

        using var removed = await gateway.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, gateway.Url + "/system/functions") { Content = GatewayFixture.Json("""{"functionName":"listener"}""") });
        Assert.True(await ProcessTable.EventuallyAsync(() => topics.Subjects.Count == 0, TimeSpan.FromSeconds(10)), "still subscribed after the function was removed");
    }
}
