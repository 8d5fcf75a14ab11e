namespace Faas.Nats;

/// <summary>A message delivered to a subscription (MSG or HMSG).</summary>
public sealed record NatsMessage(string Subject, string? ReplyTo, NatsHeaders? Headers, ReadOnlyMemory<byte> Data)
{
    /// <summary>The header block's status, if any (server status messages carry no data).</summary>
    public int? Status => Headers?.Status;
}
