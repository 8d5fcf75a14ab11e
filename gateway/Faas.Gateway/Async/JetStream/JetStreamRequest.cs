using System.Globalization;
using NATS.Client.JetStream;

namespace Faas.Gateway.Async.JetStream;

/// <summary>A call the worker took from JetStream: acknowledged when done, nak'ed with a delay to retry, or moved to the dead letters.</summary>
internal sealed class JetStreamRequest(JetStreamQueue queue, INatsJSMsg<byte[]> message, AsyncRequest request, IReadOnlyList<ulong> bodySequences) : IQueuedRequest
{
    public AsyncRequest Request => request;

    public long Attempt => (long)(message.Metadata?.NumDelivered ?? 1);

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await SignalAsync("acknowledge", () => message.AckAsync(cancellationToken: cancellationToken));
        await DeleteBodyAsync(cancellationToken);
    }

    public Task RetryAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        SignalAsync("retry", () => message.NakAsync(new AckOpts { NakDelay = delay }, cancellationToken));

    public Task KeepAliveAsync(CancellationToken cancellationToken) =>
        SignalAsync("extend", () => message.AckProgressAsync(cancellationToken: cancellationToken));

    /// <summary>
    /// Stores it under <c>faas.dead.NAMESPACE.NAME.CALL</c> with the reason and the number of attempts: with the
    /// function's answer as data when there is one, else the request's body, so it can be inspected or sent again.
    /// </summary>
    public async Task DeadLetterAsync(string reason, AsyncResult? result, CancellationToken cancellationToken)
    {
        var headers = AsyncMessage.Headers(request);
        headers[AsyncMessage.DeadReason] = reason;
        headers[AsyncMessage.Attempts] = Attempt.ToString(CultureInfo.InvariantCulture);
        if (result is not null)
        {
            headers[AsyncMessage.ResultStatus] = result.Status.ToString(CultureInfo.InvariantCulture);
            if (result.ContentType is not null)
            {
                headers[AsyncMessage.ResultContentType] = result.ContentType;
            }
        }

        var subject = AsyncMessage.DeadPrefix + message.Subject[AsyncMessage.QueuePrefix.Length..];

        // Deduplicated per queued message, not per call id: a call re-driven and dead again is a new dead letter.
        var messageId = $"{request.CallId}@{message.Metadata?.Sequence.Stream}";
        await queue.DeadLetterAsync(subject, messageId, headers, result?.Body ?? request.Body, cancellationToken);
        await SignalAsync("acknowledge", () => message.AckAsync(cancellationToken: cancellationToken));
        await DeleteBodyAsync(cancellationToken);
    }

    /// <summary>An acknowledgement of some kind; NATS failing to take it is the queue being unavailable.</summary>
    private async Task SignalAsync(string what, Func<ValueTask> signal)
    {
        try
        {
            await signal();
        }
        catch (NATS.Client.Core.NatsException error)
        {
            throw new QueueUnavailableException($"the async queue cannot {what} call {request.CallId}: {error.Message}", error);
        }
    }

    private Task DeleteBodyAsync(CancellationToken cancellationToken) =>
        bodySequences.Count == 0 ? Task.CompletedTask : queue.DeleteChunksAsync(bodySequences, cancellationToken);
}
