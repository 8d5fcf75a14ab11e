using System.Net.Http.Json;
using System.Text;
using Faas.Harness.Brokers;
using Faas.Testing.Brokers;
using RabbitMQ.Client;

namespace Faas.Gateway.Tests.Connectors;

/// <summary>The gateway process with the RabbitMQ connector on a real rabbitmq-server, functions on the local backend.</summary>
public sealed class RabbitMqConnectorTests(RabbitMqFixture rabbit) : IClassFixture<RabbitMqFixture>
{
    private const string Exchange = "faas";

    private RabbitMqServerProcess Server => rabbit.Server;

    [Fact]
    public async Task Deploy_binds_a_queue_for_the_functions_topics_and_delete_removes_it()
    {
        await using var gateway = await StartGatewayAsync();
        await using var connection = await Server.ConnectAsync();
        var replies = await ReplyQueue.OpenAsync(connection, "replies." + Guid.NewGuid().ToString("N"));
        var name = "orders-" + Guid.NewGuid().ToString("N")[..6];
        await gateway.DeployAsync($$$"""
            {"service":"{{{name}}}","image":"local","envProcess":"sh -c 'echo \"$Http_X_Topic $Http_X_Message_Id $Http_X_Tenant $(cat)\"'",
             "annotations":{"topic":"rabbitmq:orders.*, nats:ignored.here","reply-topic":"{{{replies.RoutingKey}}}"}}
            """);
        Assert.True(await QueueExistsAsync(connection, $"faas.openfaas-fn.{name}", expected: true), gateway.Output);
        Assert.True(await SubscribedAsync(gateway, "orders.*"), gateway.Output);

        await PublishAsync(connection, "orders.created", "m-1", "hello", new() { ["Tenant"] = "acme" });
        var reply = await replies.NextAsync(TimeSpan.FromSeconds(20));

        Assert.NotNull(reply);
        Assert.Equal("orders.created m-1 acme hello\n", Encoding.UTF8.GetString(reply.Body));
        Assert.Equal("200", Encoding.UTF8.GetString((byte[])reply.Headers["X-Function-Status"]!));
        Assert.Equal("m-1", reply.CorrelationId);
        Assert.Equal(1, await GatewayMetricsText.ValueAsync(gateway.Url, """gateway_connector_messages_total{connector="rabbitmq",topic="orders.*"}"""));

        // An update moves the function to other topics without a restart.
        using var admin = GatewayProcess.AdminClient();
        using var updated = await admin.PutAsync(gateway.Url + "/system/functions", new StringContent($$$"""
            {"service":"{{{name}}}","image":"local","envProcess":"sh -c 'echo \"$Http_X_Topic $(cat)\"'",
             "annotations":{"topic":"rabbitmq:invoices.#","reply-topic":"{{{replies.RoutingKey}}}"}}
            """, Encoding.UTF8, "application/json"));
        Assert.True(updated.IsSuccessStatusCode, $"update: {(int)updated.StatusCode}");
        Assert.True(await LoggedAsync(gateway, $"{name}.openfaas-fn unsubscribed from orders.*"), gateway.Output);
        Assert.True(await SubscribedAsync(gateway, "invoices.#"), gateway.Output);
        // A rolling update: the first version answers until the new one is ready (under load a message came to it).
        Assert.True(await ProcessTable.EventuallyAsync(async () =>
            (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"{gateway.Url}/system/function/{name}")).GetProperty("availableReplicas").GetInt32() == 1,
            TimeSpan.FromSeconds(30)), "the new version did not become ready");
        await PublishAsync(connection, "orders.created", "m-2", "to nobody");
        await PublishAsync(connection, "invoices.eu.paid", "m-3", "paid");
        var afterUpdate = await replies.NextAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("invoices.eu.paid paid\n", afterUpdate is null ? null : Encoding.UTF8.GetString(afterUpdate.Body));


        using var removed = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, gateway.Url + "/system/functions") { Content = new StringContent($$$"""{"functionName":"{{{name}}}"}""") });
        Assert.True(await QueueExistsAsync(connection, $"faas.openfaas-fn.{name}", expected: false), "the queue outlived its function");
    }

    [Fact]
    public async Task Every_message_is_answered_across_a_gateway_killed_mid_batch()
    {
        // The URL comes from a file, as from a mounted secret.
        using var secrets = new TempDirectory("faas-rabbitmq-secret-");
        File.WriteAllText(secrets.Combine("rabbitmq-url"), Server.Url + "\n");
        await using var gateway = await StartGatewayAsync(new() { ["Gateway__Connectors__RabbitMq__Url"] = "", ["Gateway__Connectors__RabbitMq__UrlFile"] = secrets.Combine("rabbitmq-url") });
        await using var connection = await Server.ConnectAsync();
        var replies = await ReplyQueue.OpenAsync(connection, "batch." + Guid.NewGuid().ToString("N"));
        var name = "batch-" + Guid.NewGuid().ToString("N")[..6];
        await gateway.DeployAsync($$$"""
            {"service":"{{{name}}}","image":"local","envProcess":"sh -c 'sleep 0.1; echo $Http_X_Message_Id'",
             "annotations":{"topic":"rabbitmq:batch.{{{name}}}","reply-topic":"{{{replies.RoutingKey}}}"}}
            """);
        Assert.True(await SubscribedAsync(gateway, $"batch.{name}"), gateway.Output);
        var ids = Enumerable.Range(0, 120).Select(i => $"msg-{i}").ToList();
        foreach (var id in ids)
        {
            await PublishAsync(connection, $"batch.{name}", id, id);
        }

        Assert.True(await replies.WaitForCountAsync(10, TimeSpan.FromSeconds(30)), gateway.Output);
        var beforeKill = replies.Received.Count;
        await gateway.KillAndRestartAsync();
        var all = await ProcessTable.EventuallyAsync(() => replies.Ids().Count == ids.Count, TimeSpan.FromSeconds(120));

        Assert.True(beforeKill < ids.Count, "every message was answered before the kill: the test proved nothing");
        Assert.True(all, $"answered {replies.Ids().Count} of {ids.Count}\n{gateway.Output}");
        Assert.Equal(ids.Order(), replies.Ids().Order());
        Assert.DoesNotContain(Server.Password, gateway.Output);
    }

    [Fact]
    public async Task A_message_the_function_keeps_failing_is_retried_then_dead_lettered()
    {
        await using var gateway = await StartGatewayAsync();
        await using var connection = await Server.ConnectAsync();
        var name = "failing-" + Guid.NewGuid().ToString("N")[..6];
        await gateway.DeployAsync($$$"""{"service":"{{{name}}}","image":"local","envProcess":"sh -c 'echo no >&2; exit 1'","annotations":{"topic":"rabbitmq:jobs.{{{name}}}"}}""");
        Assert.True(await SubscribedAsync(gateway, $"jobs.{name}"), gateway.Output);
        var id = "bad-" + Guid.NewGuid().ToString("N")[..6];

        await PublishAsync(connection, $"jobs.{name}", id, "payload");
        BasicGetResult? dead = null;
        await using var channel = await connection.CreateChannelAsync();
        var arrived = await ProcessTable.EventuallyAsync(async () =>
        {
            while (await channel.BasicGetAsync("faas.dead-letter", autoAck: true) is { } message)
            {
                if (message.BasicProperties.MessageId == id)
                {
                    dead = message;
                }
            }

            return dead is not null;
        }, TimeSpan.FromSeconds(30));
        var series = $$$"""{connector="rabbitmq",topic="jobs.{{{name}}}"}""";

        Assert.True(arrived, gateway.Output);
        Assert.Equal("payload", Encoding.UTF8.GetString(dead!.Body.Span));
        Assert.Equal($"jobs.{name}", dead.RoutingKey);
        Assert.Equal(3, await GatewayMetricsText.ValueAsync(gateway.Url, "gateway_connector_failures_total" + series));
        Assert.Equal(2, await GatewayMetricsText.ValueAsync(gateway.Url, "gateway_connector_redeliveries_total" + series));
        Assert.Equal(1, await GatewayMetricsText.ValueAsync(gateway.Url, "gateway_connector_dead_letters_total" + series));
        Assert.Equal(3, await GatewayMetricsText.ValueAsync(gateway.Url, $$$"""gateway_trigger_invocation_total{function_name="{{{name}}}.openfaas-fn",trigger="rabbitmq",code="500"}"""));
    }

    [Fact]
    public async Task Prefetch_bounds_a_functions_invocations_at_once_and_the_rest_wait_as_lag()
    {
        await using var gateway = await StartGatewayAsync(new() { ["Gateway__Connectors__RabbitMq__Prefetch"] = "1" });
        await using var connection = await Server.ConnectAsync();
        var name = "slow-" + Guid.NewGuid().ToString("N")[..6];
        await gateway.DeployAsync($$$"""{"service":"{{{name}}}","image":"local","envProcess":"sh -c 'sleep 1; cat'","annotations":{"topic":"rabbitmq:slow.{{{name}}}"}}""");
        Assert.True(await SubscribedAsync(gateway, $"slow.{name}"), gateway.Output);

        for (var i = 0; i < 5; i++)
        {
            await PublishAsync(connection, $"slow.{name}", $"s-{i}", "x");
        }

        var inflight = new List<double>();
        var lagged = await ProcessTable.EventuallyAsync(async () =>
        {
            inflight.Add(await GatewayMetricsText.ValueAsync(gateway.Url, $$$"""gateway_function_invocation_inflight{function_name="{{{name}}}.openfaas-fn"}"""));
            return await GatewayMetricsText.ValueAsync(gateway.Url, $$$"""gateway_connector_lag{connector="rabbitmq",function_name="{{{name}}}.openfaas-fn"}""") >= 2;
        }, TimeSpan.FromSeconds(10));
        var drained = await ProcessTable.EventuallyAsync(async () =>
        {
            inflight.Add(await GatewayMetricsText.ValueAsync(gateway.Url, $$$"""gateway_function_invocation_inflight{function_name="{{{name}}}.openfaas-fn"}"""));
            return await GatewayMetricsText.ValueAsync(gateway.Url, $$$"""gateway_trigger_invocation_total{function_name="{{{name}}}.openfaas-fn",trigger="rabbitmq",code="200"}""") == 5;
        }, TimeSpan.FromSeconds(30));

        Assert.True(lagged, "the queue's waiting messages never showed as lag");
        Assert.True(drained, gateway.Output);
        Assert.Contains(1, inflight);
        Assert.True(inflight.Max() <= 1, $"in flight at once: {string.Join(", ", inflight)}");
    }

    [Fact]
    public async Task A_functions_queue_made_under_other_settings_is_kept_and_used()
    {
        await using var connection = await Server.ConnectAsync();
        var replies = await ReplyQueue.OpenAsync(connection, "kept." + Guid.NewGuid().ToString("N"));
        var name = "kept-" + Guid.NewGuid().ToString("N")[..6];
        var definition = $$$"""{"service":"{{{name}}}","image":"local","envProcess":"cat","annotations":{"topic":"rabbitmq:kept.{{{name}}}","reply-topic":"{{{replies.RoutingKey}}}"}}""";
        await using (var first = await StartGatewayAsync())
        {
            await first.DeployAsync(definition);
            Assert.True(await SubscribedAsync(first, $"kept.{name}"), first.Output);
        }

        // Another MaxAttempts: the queue's delivery limit differs from what this gateway would declare.
        await using var second = await StartGatewayAsync(new() { ["Gateway__Async__MaxAttempts"] = "4" });
        await second.DeployAsync(definition);
        Assert.True(await SubscribedAsync(second, $"kept.{name}"), second.Output);
        await PublishAsync(connection, $"kept.{name}", "k-1", "still served");
        var reply = await replies.NextAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("still served", reply is null ? null : Encoding.UTF8.GetString(reply.Body));
        Assert.Contains($"queue faas.openfaas-fn.{name} exists with other arguments", second.Output);
    }

    [Fact]
    public async Task A_broker_that_goes_away_degrades_the_connector_only_and_it_resumes_when_the_broker_returns()
    {
        await using var gateway = await StartGatewayAsync();
        var name = "steady-" + Guid.NewGuid().ToString("N")[..6];
        await gateway.DeployAsync($$$"""{"service":"{{{name}}}","image":"local","envProcess":"cat","annotations":{"topic":"rabbitmq:steady.{{{name}}}","reply-topic":"steady-replies.{{{name}}}"}}""");
        Assert.True(await SubscribedAsync(gateway, $"steady.{name}"), gateway.Output);

        await Server.StopAsync();
        var degraded = await ProcessTable.EventuallyAsync(async () => (await TestHttp.Client.GetStringAsync(gateway.Url + "/healthz")).Contains("connector rabbitmq: unavailable", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var up = await GatewayMetricsText.ValueAsync(gateway.Url, """gateway_connector_up{connector="rabbitmq"}""");
        var syncAnswer = await gateway.InvokeAsync(name);
        await Server.RestartAsync();
        var recovered = await ProcessTable.EventuallyAsync(async () => !(await TestHttp.Client.GetStringAsync(gateway.Url + "/healthz")).Contains("connector", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await using var connection = await Server.ConnectAsync();
        var replies = await ReplyQueue.OpenAsync(connection, $"steady-replies.{name}");
        await PublishAsync(connection, $"steady.{name}", "after", "after the restart");
        var reply = await replies.NextAsync(TimeSpan.FromSeconds(30));

        Assert.True(degraded, gateway.Output);
        Assert.Equal(0, up);
        Assert.Equal("", syncAnswer);
        Assert.True(recovered, gateway.Output);
        Assert.Equal("after the restart", reply is null ? null : Encoding.UTF8.GetString(reply.Body));
        Assert.DoesNotContain(Server.Password, gateway.Output);
    }

    [Fact]
    public async Task A_url_that_is_not_amqp_stops_the_start_naming_the_setting_without_its_password()
    {
        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Gateway__Connectors__RabbitMq__Url"] = "http://user:sekrit@127.0.0.1:5672/" });

        Assert.Equal(2, exitCode);
        Assert.Contains("invalid Gateway:Connectors:RabbitMq:Url=\"http://127.0.0.1:5672\"", output);
        Assert.DoesNotContain("sekrit", output);
    }

    private async Task<GatewayProcess> StartGatewayAsync(Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["FAAS_NATS_URL"] = "",
            ["Gateway__Connectors__RabbitMq__Url"] = Server.Url,
            ["Gateway__Async__MaxAttempts"] = "3",
            ["Gateway__Async__RetryDelay"] = "00:00:00.100",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return await GatewayProcess.StartAsync(settings);
    }

    private static async Task PublishAsync(IConnection connection, string routingKey, string id, string body, Dictionary<string, object?>? headers = null)
    {
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true);
        var properties = new BasicProperties { MessageId = id, Persistent = true, Headers = headers };
        await channel.BasicPublishAsync(Exchange, routingKey, mandatory: false, properties, Encoding.UTF8.GetBytes(body));
    }

    private static Task<bool> LoggedAsync(GatewayProcess gateway, string text) =>
        ProcessTable.EventuallyAsync(() => gateway.Output.Split('\n').Any(line => line.TrimEnd().EndsWith(text, StringComparison.Ordinal)), TimeSpan.FromSeconds(20));

    /// <summary>Whether the gateway says it bound the function's queue to <paramref name="topic"/> (from then on a message to it is routed).</summary>
    private static Task<bool> SubscribedAsync(GatewayProcess gateway, string topic) => LoggedAsync(gateway, $"subscribed to {topic}");

    /// <summary>Whether the queue comes to exist (or to be gone), asked on a fresh channel each time: a 404 closes the channel.</summary>
    private static Task<bool> QueueExistsAsync(IConnection connection, string queue, bool expected) =>
        ProcessTable.EventuallyAsync(async () =>
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueueDeclarePassiveAsync(queue);
                return expected;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                return !expected;
            }
        }, TimeSpan.FromSeconds(20));
}
