using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Faas.Gateway.Async.JetStream;

/// <summary>
/// A body too large for one message, stored in parts in the bodies stream (<see cref="QueueStreams.BodyStream"/>):
/// the queued message carries their sequence numbers, and they are deleted once the call is done with.
/// </summary>
internal sealed class BodyChunks(INatsJSContext jetStream)
{
    /// <summary>Stores <paramref name="body"/> in parts of at most <paramref name="chunk"/> bytes; their sequences in order.</summary>
    public async Task<List<ulong>> StoreAsync(string callId, ReadOnlyMemory<byte> body, int chunk, CancellationToken cancellationToken)
    {
        var sequences = new List<ulong>();
        for (var offset = 0; offset < body.Length; offset += chunk)
        {
            var part = body.Slice(offset, Math.Min(chunk, body.Length - offset));
            // Deduplicated per part: a store tried again after a time-out does not store a part twice.
            var stored = await jetStream.PublishAsync($"faas.bodies.{callId}", part.ToArray(),
                opts: new NatsJSPubOpts { MsgId = $"{callId}#{offset}" }, cancellationToken: cancellationToken);
            stored.EnsureSuccess();
            sequences.Add(stored.Seq);
        }

        return sequences;
    }

    public async Task<byte[]> ReadAsync(IReadOnlyList<ulong> sequences, CancellationToken cancellationToken)
    {
        var bodies = await jetStream.GetStreamAsync(QueueStreams.BodyStream, cancellationToken: cancellationToken);
        using var assembled = new MemoryStream();
        foreach (var sequence in sequences)
        {
            assembled.Write((await bodies.GetAsync(new StreamMsgGetRequest { Seq = sequence }, cancellationToken)).Message.Data.Span);
        }

        return assembled.ToArray();
    }

    public async Task DeleteAsync(IReadOnlyList<ulong> sequences, CancellationToken cancellationToken)
    {
        foreach (var sequence in sequences)
        {
            await jetStream.DeleteMessageAsync(QueueStreams.BodyStream, new StreamMsgDeleteRequest { Seq = sequence }, cancellationToken);
        }
    }
}
