using System.Threading.Channels;

namespace Faas.Nats;

/// <summary>Messages of one SUB, in order. Disposing it unsubscribes.</summary>
public sealed class NatsSubscription : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly Channel<NatsMessage> _messages = Channel.CreateUnbounded<NatsMessage>(new UnboundedChannelOptions { SingleWriter = true });

    internal NatsSubscription(NatsConnection connection, long sid, string subject, string? queueGroup)
    {
        _connection = connection;
        Sid = sid;
        Subject = subject;
        QueueGroup = queueGroup;
    }

    public long Sid { get; }

    public string Subject { get; }

    public string? QueueGroup { get; }

    public ChannelReader<NatsMessage> Messages => _messages.Reader;

    public IAsyncEnumerable<NatsMessage> ReadAllAsync(CancellationToken cancellationToken = default) => _messages.Reader.ReadAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => new(_connection.UnsubscribeAsync(this));

    internal void Deliver(NatsMessage message) => _messages.Writer.TryWrite(message);

    internal void Complete() => _messages.Writer.TryComplete();
}
