using System.Text;
using Faas.Harness.Brokers;
using Faas.Testing.Brokers;

namespace Faas.Gateway.Tests.Connectors;

/// <summary>The gateway process with the MQTT connector on a real Mosquitto (a user and password, no anonymous clients), functions on the local backend.</summary>
public sealed class MqttConnectorTests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    private MosquittoProcess Broker => mosquitto.Broker;

    [Fact]
    public async Task A_function_gets_messages_on_its_topic_filters_and_its_answer_goes_to_the_reply_topic()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        await using var gateway = await StartGatewayAsync(id);
        using var client = await Broker.ConnectAsync("test-" + id);
        var replies = await MqttListener.SubscribeAsync(client, $"replies/{id}");
        var name = "sensor-" + id;
        await gateway.DeployAsync($$$"""
            {"service":"{{{name}}}","image":"local","envProcess":"sh -c 'echo \"$Http_X_Topic $Http_X_Unit $(cat)\"'",
             "annotations":{"topic":"mqtt:sensors/{{{id}}}/+/temp, rabbitmq:not.for.mqtt","reply-topic":"mqtt:replies/{{{id}}}"}}
            """);
        Assert.True(await MqttListener.LoggedAsync(gateway, $"subscribed to sensors/{id}/+/temp"), gateway.Output);

        await MqttListener.PublishAsync(client, $"sensors/{id}/kitchen/temp", "21", ("Unit", "C"));
        await MqttListener.PublishAsync(client, $"sensors/{id}/kitchen/humidity", "40");
        var answered = await replies.WaitForCountAsync(1, TimeSpan.FromSeconds(20));
        await Task.Delay(500);

        Assert.True(answered, gateway.Output);
        Assert.Equal([$"sensors/{id}/kitchen/temp C 21\n"], replies.Bodies());
        Assert.Equal(1, await GatewayMetricsText.ValueAsync(gateway.Url, $$$"""gateway_connector_messages_total{connector="mqtt",topic="sensors/{{{id}}}/+/temp"}"""));
        Assert.DoesNotContain("not.for.mqtt", gateway.Output);

        using var admin = GatewayProcess.AdminClient();
        using var removed = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, gateway.Url + "/system/functions") { Content = new StringContent($$$"""{"functionName":"{{{name}}}"}""") });
        Assert.True(await MqttListener.LoggedAsync(gateway, $"unsubscribed from sensors/{id}/+/temp"), gateway.Output);
    }

    [Fact]
    public async Task Messages_published_while_the_gateway_is_down_are_delivered_when_it_returns()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        await using var gateway = await StartGatewayAsync(id);
        using var client = await Broker.ConnectAsync("test-" + id);
        var replies = await MqttListener.SubscribeAsync(client, $"done/{id}");
        await gateway.DeployAsync($$$"""{"service":"keeper-{{{id}}}","image":"local","envProcess":"cat","annotations":{"topic":"mqtt:work/{{{id}}}/#","reply-topic":"mqtt:done/{{{id}}}"}}""");
        Assert.True(await MqttListener.LoggedAsync(gateway, $"subscribed to work/{id}/#"), gateway.Output);

        await gateway.KillAsync();
        var ids = Enumerable.Range(0, 20).Select(i => $"job-{i}").ToList();
        foreach (var job in ids)
        {
            await MqttListener.PublishAsync(client, $"work/{id}/{job}", job);
        }

        await gateway.StartAgainAsync();
        var all = await ProcessTable.EventuallyAsync(() => replies.Bodies().Distinct().Count() == ids.Count, TimeSpan.FromSeconds(60));

        Assert.True(all, $"answered: {string.Join(", ", replies.Bodies())}\n{gateway.Output}");
        Assert.Equal(ids.Order(), replies.Bodies().Distinct().Order());
        Assert.DoesNotContain(Broker.Password, gateway.Output);
    }

    [Fact]
    public async Task A_message_the_function_keeps_failing_is_retried_then_dead_lettered()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        await using var gateway = await StartGatewayAsync(id);
        using var client = await Broker.ConnectAsync("test-" + id);
        var name = "broken-" + id;
        var dead = await MqttListener.SubscribeAsync(client, $"faas/dead-letter/openfaas-fn/{name}");
        await gateway.DeployAsync($$$"""{"service":"{{{name}}}","image":"local","envProcess":"sh -c 'exit 3'","annotations":{"topic":"mqtt:jobs/{{{id}}}"}}""");
        Assert.True(await MqttListener.LoggedAsync(gateway, $"subscribed to jobs/{id}"), gateway.Output);

        await MqttListener.PublishAsync(client, $"jobs/{id}", "doomed");
        var arrived = await dead.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        var series = $$$"""{connector="mqtt",topic="jobs/{{{id}}}"}""";

        Assert.True(arrived, gateway.Output);
        var message = Assert.Single(dead.Messages);
        Assert.Equal("doomed", Encoding.UTF8.GetString(message.Payload));
        Assert.Contains(message.UserProperties!, property => property.Name == "X-Topic" && Encoding.UTF8.GetString(property.ValueBuffer.Span) == $"jobs/{id}");
        Assert.Equal(3, await GatewayMetricsText.ValueAsync(gateway.Url, "gateway_connector_failures_total" + series));
        Assert.Equal(1, await GatewayMetricsText.ValueAsync(gateway.Url, "gateway_connector_dead_letters_total" + series));
    }

    [Fact]
    public async Task A_broker_restart_degrades_the_connector_only_and_it_resubscribes_when_the_broker_returns()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        await using var gateway = await StartGatewayAsync(id);
        var name = "steady-" + id;
        await gateway.DeployAsync($$$"""{"service":"{{{name}}}","image":"local","envProcess":"cat","annotations":{"topic":"mqtt:steady/{{{id}}}","reply-topic":"mqtt:steady-replies/{{{id}}}"}}""");
        Assert.True(await MqttListener.LoggedAsync(gateway, $"subscribed to steady/{id}"), gateway.Output);

        await Broker.StopAsync();
        var degraded = await ProcessTable.EventuallyAsync(async () => (await TestHttp.Client.GetStringAsync(gateway.Url + "/healthz")).Contains("connector mqtt: unavailable", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var syncAnswer = await gateway.InvokeAsync(name);
        await Broker.RestartAsync();
        var recovered = await ProcessTable.EventuallyAsync(async () => !(await TestHttp.Client.GetStringAsync(gateway.Url + "/healthz")).Contains("connector", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var client = await Broker.ConnectAsync("test-" + id);
        var replies = await MqttListener.SubscribeAsync(client, $"steady-replies/{id}");
        await MqttListener.PublishAsync(client, $"steady/{id}", "after the restart");
        var answered = await replies.WaitForCountAsync(1, TimeSpan.FromSeconds(30));

        Assert.True(degraded, gateway.Output);
        Assert.Equal("", syncAnswer);
        Assert.True(recovered, gateway.Output);
        Assert.True(answered, gateway.Output);
        Assert.Equal(["after the restart"], replies.Bodies());
    }

    private Task<GatewayProcess> StartGatewayAsync(string id) => GatewayProcess.StartAsync(new Dictionary<string, string>
    {
        ["FAAS_NATS_URL"] = "",
        ["Gateway__Connectors__Mqtt__Url"] = Broker.Url,
        ["Gateway__Connectors__Mqtt__ClientId"] = "faas-gateway-" + id,
        ["Gateway__Async__MaxAttempts"] = "3",
        ["Gateway__Async__RetryDelay"] = "00:00:00.100",
    });
}
