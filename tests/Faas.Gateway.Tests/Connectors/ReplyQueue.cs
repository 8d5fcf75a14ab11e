using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Faas.Gateway.Tests.Connectors;

/// <summary>A test's own queue bound to a reply topic on the gateway's exchange, collecting what arrives.</summary>
internal sealed class ReplyQueue
{
    private const string Exchange = "faas";

    public required string RoutingKey { get; init; }

    public ConcurrentQueue<BasicDeliverEventArgs> Received { get; } = new();

    public static async Task<ReplyQueue> OpenAsync(IConnection connection, string routingKey)
    {
        var queue = new ReplyQueue { RoutingKey = routingKey };
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true);
        var declared = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(declared.QueueName, Exchange, routingKey);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            // The body's memory belongs to the client after the handler: keep a copy.
            queue.Received.Enqueue(new BasicDeliverEventArgs(delivery.ConsumerTag, delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange, delivery.RoutingKey, delivery.BasicProperties, delivery.Body.ToArray()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(declared.QueueName, autoAck: true, consumer);
        return queue;
    }

    public async Task<Reply?> NextAsync(TimeSpan timeout)
    {
        var taken = await ProcessTable.EventuallyAsync(() => !Received.IsEmpty, timeout);
        return taken && Received.TryDequeue(out var delivery)
            ? new Reply(delivery.Body.ToArray(), delivery.BasicProperties.Headers ?? new Dictionary<string, object?>(), delivery.BasicProperties.CorrelationId)
            : null;
    }

    public Task<bool> WaitForCountAsync(int count, TimeSpan timeout) => ProcessTable.EventuallyAsync(() => Received.Count >= count, timeout);

    public HashSet<string> Ids() => [.. Received.Select(delivery => Encoding.UTF8.GetString(delivery.Body.Span).Trim())];
}

internal sealed record Reply(byte[] Body, IDictionary<string, object?> Headers, string? CorrelationId);
