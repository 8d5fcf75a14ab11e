using System.Globalization;
using System.Text;
using System.Text.Json;
using Faas.Nats.Protocol;

namespace Faas.Nats.JetStream;

/// <summary>
/// A message fetched from a pull consumer, with its delivery metadata (from the <c>$JS.ACK...</c> reply subject) and
/// the acknowledgements the server understands: <c>+ACK</c>, <c>-NAK</c> (optionally with a redelivery delay),
/// <c>+WPI</c> (still working: the ack wait restarts) and <c>+TERM</c> (never redeliver).
/// </summary>
public sealed class JetStreamMessage
{
    private readonly NatsConnection _connection;

    internal JetStreamMessage(NatsConnection connection, NatsMessage message)
    {
        _connection = connection;
        Message = message;
        var tokens = message.ReplyTo?.Split('.') ?? [];

        // v1: $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<timestamp>.<pending>
        // v2: $JS.ACK.<domain>.<account hash>.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<timestamp>.<pending>[.<token>]
        var offset = tokens.Length == 9 ? 2 : tokens.Length >= 11 ? 4 : -1;
        if (offset < 0 || tokens[0] != "$JS" || tokens[1] != "ACK")
        {
            throw new NatsException($"not a JetStream delivery: reply subject \"{message.ReplyTo}\"");
        }

        Stream = tokens[offset];
        Consumer = tokens[offset + 1];
        Delivered = long.Parse(tokens[offset + 2], CultureInfo.InvariantCulture);
        StreamSequence = long.Parse(tokens[offset + 3], CultureInfo.InvariantCulture);
        ConsumerSequence = long.Parse(tokens[offset + 4], CultureInfo.InvariantCulture);
        Timestamp = DateTimeOffset.UnixEpoch.AddTicks(long.Parse(tokens[offset + 5], CultureInfo.InvariantCulture) / 100);
        Pending = long.Parse(tokens[offset + 6], CultureInfo.InvariantCulture);
    }

    public NatsMessage Message { get; }

    public string Subject => Message.Subject;

    public NatsHeaders? Headers => Message.Headers;

    public ReadOnlyMemory<byte> Data => Message.Data;

    public string Stream { get; }

    public string Consumer { get; }

    /// <summary>How many times this message has been delivered, this time included.</summary>
    public long Delivered { get; }

    public long StreamSequence { get; }

    public long ConsumerSequence { get; }

    /// <summary>When the message was stored.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Messages still pending for the consumer after this one.</summary>
    public long Pending { get; }

    public Task AckAsync(CancellationToken cancellationToken = default) => ReplyAsync("+ACK"u8.ToArray(), cancellationToken);

    public Task NakAsync(TimeSpan? delay = null, CancellationToken cancellationToken = default) =>
        ReplyAsync(delay is { } wait
            ? Encoding.UTF8.GetBytes("-NAK " + JsonSerializer.Serialize(new NakDelay { DelayNanoseconds = (long)(wait.TotalMilliseconds * 1_000_000) }, NatsJson.Default.NakDelay))
            : "-NAK"u8.ToArray(), cancellationToken);

    public Task InProgressAsync(CancellationToken cancellationToken = default) => ReplyAsync("+WPI"u8.ToArray(), cancellationToken);

    public Task TermAsync(CancellationToken cancellationToken = default) => ReplyAsync("+TERM"u8.ToArray(), cancellationToken);

    private Task ReplyAsync(byte[] body, CancellationToken cancellationToken) =>
        _connection.PublishAsync(Message.ReplyTo!, body, cancellationToken: cancellationToken);
}
