using Faas.Gateway.Configuration;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Faas.Gateway.Async.JetStream;

/// <summary>
/// The JetStream streams and the consumer behind the async queue, made (or brought up to date) each time the connection
/// opens: a work-queue stream of calls read by one durable pull consumer, a stream of dead letters kept for a week, and
/// a stream for bodies too large for one message. All on file storage.
/// </summary>
internal sealed class QueueStreams(INatsJSContext jetStream, AsyncOptions options)
{
    public const string Stream = "FAAS_ASYNC";
    public const string DeadLetterStream = "FAAS_ASYNC_DEAD";
    public const string BodyStream = "FAAS_ASYNC_BODIES";
    public const string Consumer = "faas-queue-worker";

    private static readonly TimeSpan DeadLetterAge = TimeSpan.FromDays(7);

    /// <summary>Creates or updates the streams and the consumer, then repairs what a server crash can leave behind.</summary>
    public async Task<INatsJSConsumer> SetUpAsync(CancellationToken cancellationToken)
    {
        await jetStream.CreateOrUpdateStreamAsync(new StreamConfig(Stream, [AsyncMessage.QueuePrefix + ">"])
        {
            Retention = StreamConfigRetention.Workqueue,
            Storage = StreamConfigStorage.File,
        }, cancellationToken);
        await jetStream.CreateOrUpdateStreamAsync(new StreamConfig(DeadLetterStream, [AsyncMessage.DeadPrefix + ">"])
        {
            Storage = StreamConfigStorage.File,
            MaxAge = DeadLetterAge,

            // Dead letters are read one by one, with their headers, to inspect or send them again.
            AllowDirect = true,
        }, cancellationToken);
        await jetStream.CreateOrUpdateStreamAsync(new StreamConfig(BodyStream, ["faas.bodies.>"]) { Storage = StreamConfigStorage.File }, cancellationToken);

        // The worker counts deliveries itself and dead-letters a call past Async:MaxAttempts, so the server never
        // stops delivering one that nobody finished (it would then sit in the queue forever).
        var consumer = await jetStream.CreateOrUpdateConsumerAsync(Stream, new ConsumerConfig(Consumer)
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = options.AckWait,
            MaxAckPending = Math.Max(options.MaxInflight * 4, 256),
            MaxDeliver = -1,
        }, cancellationToken);
        await RemoveAcknowledgedAsync(consumer, cancellationToken);
        return consumer;
    }

    /// <summary>
    /// A server killed right after an acknowledgement can come back with the call still stored although the consumer's
    /// ack floor is past it: it will never be delivered again, but it would be counted as waiting and could be
    /// "cancelled". Everything at or below the ack floor has been acknowledged, so it is removed.
    /// </summary>
    public async Task RemoveAcknowledgedAsync(INatsJSConsumer consumer, CancellationToken cancellationToken)
    {
        var floor = consumer.Info.AckFloor.StreamSeq;
        var stream = await jetStream.GetStreamAsync(Stream, cancellationToken: cancellationToken);
        if (floor > 0 && stream.Info.State.Messages > 0 && stream.Info.State.FirstSeq <= floor)
        {
            await jetStream.PurgeStreamAsync(Stream, new StreamPurgeRequest { Seq = floor + 1 }, cancellationToken);
        }
    }
}
