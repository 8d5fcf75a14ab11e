using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Faas.Bench.Tools;
using Faas.Harness;
using Faas.Harness.Brokers;
using MQTTnet;
using MQTTnet.Protocol;
using NATS.Client.Core;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>connectors</c>: messages through each event connector of one published gateway (NATS topics, RabbitMQ, MQTT, each
/// broker a real server on loopback) to a no-op function per broker (http mode, the test upstream's <c>/</c>, one replica
/// held) and back through its reply. Each round publishes <see cref="Messages"/> messages as fast as the broker takes
/// them; messages/s is from the first publish to the last reply, latency from a message's publish to its reply.
/// </summary>
internal static class ConnectorsScenario
{
    private const int Messages = 5_000;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var rabbit = await RabbitMqServerProcess.StartAsync();
        await using var mosquitto = await MosquittoProcess.StartAsync();
        await using var gateway = await GatewayTarget.StartGatewayAsync(new Dictionary<string, string>
        {
            ["Gateway__Async__NatsUrl"] = nats.Url,
            ["Gateway__Connectors__RabbitMq__Url"] = rabbit.Url,
            ["Gateway__Connectors__Mqtt__Url"] = mosquitto.Url,
        });
        foreach (var (name, topic) in new[] { ("via-nats", "nats:bench.in"), ("via-rabbitmq", "rabbitmq:bench.in"), ("via-mqtt", "mqtt:bench/in") })
        {
            await DeployAsync(gateway.Url, name, topic, name == "via-rabbitmq" ? "rabbitmq:bench.out" : null);
        }

        await using var natsClient = new NatsConnection(new NatsOpts { Url = nats.Url });
        await using var rabbitClient = await rabbit.ConnectAsync();
        using var mqttClient = await mosquitto.ConnectAsync("faas-bench");
        var brokers = new (string Name, Func<Task<Round>> Run)[]
        {
            ("nats", () => NatsRoundAsync(natsClient)),
            ("rabbitmq", () => RabbitMqRoundAsync(rabbitClient)),
            ("mqtt", () => MqttRoundAsync(mqttClient)),
        };

        // Subscriptions follow the functions every 2 s; one warm-up round each also starts the replicas.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var results = brokers.ToDictionary(broker => broker.Name, _ => new List<Round>());
        for (var round = -1; round < settings.Rounds; round++)
        {
            foreach (var (name, run) in brokers)
            {
                var result = await run();
                Console.WriteLine($"  {(round < 0 ? "warm-up" : $"round {round + 1}")} {name}: {result.PerSecond:0} messages/s, p50 {result.P50Ms:0.##} ms, p99 {result.P99Ms:0.##} ms");
                if (round >= 0)
                {
                    results[name].Add(result);
                }
            }
        }

        var natsRate = Stats.Median(results["nats"].Select(r => r.PerSecond));
        foreach (var (name, rounds) in results)
        {
            var rate = Stats.Median(rounds.Select(r => r.PerSecond));
            report.AddRow(new()
            {
                ["connector"] = name,
                ["messages/s (median)"] = rate,
                ["vs NATS topics"] = rate / natsRate,
                ["publish→reply p50 ms"] = Stats.Median(rounds.Select(r => r.P50Ms)),
                ["publish→reply p99 ms"] = Stats.Median(rounds.Select(r => r.P99Ms)),
            });
        }

        report.AddCommand($"dotnet run --project bench/Faas.Bench -c Release -- connectors ({Messages} messages a round per broker to out/gateway with all three connectors; "
            + "NATS core publish with a reply subject per message; RabbitMQ persistent messages to a quorum queue, reply topic bench.out, prefetch 16; "
            + "MQTT 5 QoS 1, 32 publishes in flight, response topic per run, 16 invocations in flight; function: out/test-upstream in http mode, one replica)");
    }

    private static async Task<Round> NatsRoundAsync(NatsConnection client)
    {
        var clock = new RoundClock();
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var replies = await client.SubscribeCoreAsync<byte[]>($"bench.reply.{run}.>");
        var reading = Task.Run(async () =>
        {
            await foreach (var reply in replies.Msgs.ReadAllAsync())
            {
                if (clock.Replied(reply.Subject[(reply.Subject.LastIndexOf('.') + 1)..]))
                {
                    return;
                }
            }
        });
        for (var i = 0; i < Messages; i++)
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            clock.Published(id);
            await client.PublishAsync("bench.in", "x"u8.ToArray(), replyTo: $"bench.reply.{run}.{id}");
        }

        await reading.WaitAsync(TimeSpan.FromMinutes(5));
        return clock.Result();
    }

    private static async Task<Round> RabbitMqRoundAsync(IConnection connection)
    {
        var clock = new RoundClock();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, "faas", "bench.out");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            clock.Replied(delivery.BasicProperties.CorrelationId ?? "");
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        for (var i = 0; i < Messages; i++)
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            clock.Published(id);
            await channel.BasicPublishAsync("faas", "bench.in", mandatory: false, new BasicProperties { MessageId = id, Persistent = true }, "x"u8.ToArray());
        }

        await clock.Done.WaitAsync(TimeSpan.FromMinutes(5));
        return clock.Result();
    }

    private static async Task<Round> MqttRoundAsync(IMqttClient client)
    {
        var clock = new RoundClock();
        var responses = $"bench/out/{Guid.NewGuid():N}";
        Task OnReply(MqttApplicationMessageReceivedEventArgs received)
        {
            if (received.ApplicationMessage.Topic == responses && received.ApplicationMessage.CorrelationData is { } id)
            {
                clock.Replied(Encoding.UTF8.GetString(id));
            }

            return Task.CompletedTask;
        }

        client.ApplicationMessageReceivedAsync += OnReply;
        await client.SubscribeAsync(responses, MqttQualityOfServiceLevel.AtLeastOnce);
        await Parallel.ForEachAsync(Enumerable.Range(0, Messages), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, cancellationToken) =>
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            clock.Published(id);
            var message = new MqttApplicationMessageBuilder().WithTopic("bench/in").WithPayload("x").WithResponseTopic(responses)
                .WithCorrelationData(Encoding.UTF8.GetBytes(id)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            await client.PublishAsync(message, cancellationToken);
        });
        await clock.Done.WaitAsync(TimeSpan.FromMinutes(5));
        client.ApplicationMessageReceivedAsync -= OnReply;
        await client.UnsubscribeAsync(responses);
        return clock.Result();
    }

    private static async Task DeployAsync(string gateway, string name, string topic, string? replyTopic)
    {
        using var admin = GatewayTarget.AdminClient();
        var annotations = replyTopic is null ? $$"""{"topic":"{{topic}}"}""" : $$"""{"topic":"{{topic}}","reply-topic":"{{replyTopic}}"}""";
        using var body = new StringContent(
            $$"""{"service":"{{name}}","image":"local","envProcess":"{{Binaries.TestUpstream}}","envVars":{"mode":"http"},"labels":{"com.openfaas.scale.min":"1","com.openfaas.scale.max":"1"},"annotations":{{annotations}}}""",
            Encoding.UTF8, "application/json");
        using var deployed = await admin.PostAsync(gateway + "/system/functions", body);
        deployed.EnsureSuccessStatusCode();
        await TestHttp.WaitForOkAsync($"{gateway}/function/{name}", TimeSpan.FromSeconds(30), () => "");
    }

    private sealed record Round(double PerSecond, double P50Ms, double P99Ms);

    /// <summary>When each message was published and answered; done when every one has been answered.</summary>
    private sealed class RoundClock
    {
        private readonly ConcurrentDictionary<string, long> _published = new();
        private readonly ConcurrentBag<double> _latencies = [];
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _first;
        private long _last;

        public Task Done => _done.Task;

        public void Published(string id)
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref _first, now, 0);
            _published[id] = now;
        }

        /// <summary>Records a reply; true once every message has one.</summary>
        public bool Replied(string id)
        {
            if (!_published.TryRemove(id, out var at))
            {
                return false;
            }

            var now = Stopwatch.GetTimestamp();
            _latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
            Interlocked.Exchange(ref _last, now);
            if (_latencies.Count >= Messages)
            {
                _done.TrySetResult();
                return true;
            }

            return false;
        }

        public Round Result()
        {
            var sorted = _latencies.Order().ToArray();
            return new Round(Messages / Stopwatch.GetElapsedTime(_first, _last).TotalSeconds, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)]);
        }
    }
}
