using System.Globalization;
using Faas.Gateway.Configuration;
using Faas.Gateway.Messaging;
using Faas.Provider;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Faas.Gateway.Async.JetStream;

/// <summary>
/// Async requests in JetStream (see <see cref="QueueStreams"/> and <see cref="AsyncMessage"/>). A body too large for one
/// message is stored first as chunks in a stream of its own (<see cref="BodyChunks"/>). While NATS is unreachable the
/// queue refuses requests at once, and a store that takes longer than <c>Async:EnqueueTimeout</c> is refused too, so a
/// caller waits a bounded time for its 503. NATS' own exceptions never leave this class: callers see <see cref="QueueUnavailableException"/>.
/// </summary>
internal sealed partial class JetStreamQueue : IAsyncQueue
{
    /// <summary>Room left in a message for its headers when a body is split into chunks.</summary>
    private const int HeaderRoom = 16 * 1024;

    private readonly NatsLink _link;
    private readonly AsyncOptions _options;
    private readonly NatsJSContext _jetStream;
    private readonly QueueStreams _streams;
    private readonly BodyChunks _chunks;
    private readonly ILogger<JetStreamQueue> _log;
    private volatile Task<INatsJSConsumer>? _setUp;
    private volatile string? _setUpProblem;

    public JetStreamQueue(NatsLink link, IOptions<AsyncOptions> options, ILogger<JetStreamQueue> log)
    {
        _link = link;
        _options = options.Value;
        _log = log;
        _jetStream = new NatsJSContext(link.Connection);
        _streams = new QueueStreams(_jetStream, _options);
        _chunks = new BodyChunks(_jetStream);

        // After every (re)connection the streams are checked again: the server may have restarted without them.
        link.Connection.ConnectionOpened += (_, _) =>
        {
            _setUp = null;
            return ValueTask.CompletedTask;
        };
    }

    public string Description => $"JetStream at {_link.Server}";

    public string? Problem => _link.Problem ?? _setUpProblem;

    public Task EnqueueAsync(AsyncRequest request, CancellationToken cancellationToken) =>
        RunAsync("store the request", async token =>
        {
            await ReadyAsync(token);
            await PublishAsync(request, request.CallId, token);
        }, _options.EnqueueTimeout, cancellationToken);

    /// <summary>Stores a request, deduplicated by <paramref name="messageId"/> (its call id when it is first accepted).</summary>
    private async Task PublishAsync(AsyncRequest request, string messageId, CancellationToken token)
    {
        var headers = AsyncMessage.Headers(request);
        var data = request.Body;
        var maxPayload = _link.Connection.ServerInfo?.MaxPayload ?? 1024 * 1024;
        if (request.Body.Length + HeaderRoom > maxPayload)
        {
            headers[AsyncMessage.BodySequences] = string.Join(',', await _chunks.StoreAsync(request.CallId, request.Body, maxPayload - HeaderRoom, token));
            data = ReadOnlyMemory<byte>.Empty;
        }

        var stored = await _jetStream.PublishAsync(AsyncMessage.Subject(request.Function, request.CallId), data.ToArray(),
            opts: new NatsJSPubOpts { MsgId = messageId }, headers: headers, cancellationToken: token);
        stored.EnsureSuccess();
    }

    public Task<CancelOutcome> CancelAsync(string callId, CancellationToken cancellationToken) =>
        RunAsync("cancel the request", async token =>
        {
            var consumer = await ReadyAsync(token);
            var stream = await _jetStream.GetStreamAsync(QueueStreams.Stream, new StreamInfoRequest { SubjectsFilter = AsyncMessage.CallFilter(callId) }, token);
            var subject = stream.Info.State.Subjects?.Keys.FirstOrDefault();
            if (subject is null)
            {
                return CancelOutcome.NotFound;
            }

            var stored = await stream.GetAsync(new StreamMsgGetRequest { LastBySubj = subject }, token);
            await consumer.RefreshAsync(token);
            var sequence = stored.Message.Seq;
            if (sequence <= consumer.Info.AckFloor.StreamSeq)
            {
                await _streams.RemoveAcknowledgedAsync(consumer, token);
                return CancelOutcome.NotFound;
            }

            if (sequence <= consumer.Info.Delivered.StreamSeq)
            {
                return CancelOutcome.Started;
            }

            await stream.DeleteMessageAsync(new StreamMsgDeleteRequest { Seq = sequence }, token);
            return CancelOutcome.Cancelled;
        }, _options.EnqueueTimeout, cancellationToken);

    public Task<int> DepthAsync(FunctionKey function, CancellationToken cancellationToken) =>
        RunAsync("count the queue", async token =>
        {
            await ReadyAsync(token);
            // Each call is a subject of its own, so the depth is the number of subjects the filter matches: the server's
            // total. An offset past the end asks for that alone; the listing itself has an entry per call, in pages of
            // at most 100,000, so summing it stopped there.
            var stream = await _jetStream.GetStreamAsync(QueueStreams.Stream, new StreamInfoRequest { SubjectsFilter = AsyncMessage.FunctionFilter(function), Offset = int.MaxValue }, token);
            return stream.Info is StreamInfoResponse { Total: var total } ? total : 0;
        }, _options.EnqueueTimeout, cancellationToken);

    public Task<IReadOnlyList<IQueuedRequest>> TakeAsync(int max, TimeSpan wait, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<IQueuedRequest>>("take requests", async token =>
        {
            var consumer = await ReadyAsync(token);
            var messages = new List<INatsJSMsg<byte[]>>();
            await foreach (var message in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = max }, cancellationToken: token))
            {
                messages.Add(message);
            }

            if (messages.Count == 0)
            {
                // A pull for several would wait out its whole expiry for a batch; one returns as soon as a call arrives.
                await foreach (var message in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1, Expires = wait }, cancellationToken: token))
                {
                    messages.Add(message);
                }
            }

            var taken = new List<IQueuedRequest>(messages.Count);
            foreach (var message in messages)
            {
                if (await ReadAsync(message, token) is { } request)
                {
                    taken.Add(request);
                }
            }

            return taken;
        }, wait + _options.EnqueueTimeout, cancellationToken);

    /// <summary>
    /// The request a message carries, or null for a message that is not one (published to the queue's subjects by
    /// something else, or with a body that is gone): that one is moved to the dead letters at once, never handed out.
    /// </summary>
    private async Task<JetStreamRequest?> ReadAsync(INatsJSMsg<byte[]> message, CancellationToken cancellationToken)
    {
        try
        {
            var sequences = message.Headers?.TryGetLastValue(AsyncMessage.BodySequences, out var list) == true
                ? list.Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToList()
                : [];
            var body = sequences.Count > 0 ? await _chunks.ReadAsync(sequences, cancellationToken) : message.Data ?? [];
            return new JetStreamRequest(this, message, AsyncMessage.Request(message.Subject, message.Headers, body), sequences);
        }
        catch (Exception error) when (error is FormatException or OverflowException or IndexOutOfRangeException or NatsJSApiException)
        {
            var reason = $"not an async request: {error.Message}";
            LogUnreadable(_log, message.Subject, reason);
            var headers = new NatsHeaders { [AsyncMessage.DeadReason] = reason };
            var stored = await _jetStream.PublishAsync(AsyncMessage.DeadPrefix + "unreadable", message.Data ?? [], headers: headers, cancellationToken: cancellationToken);
            stored.EnsureSuccess();
            await message.AckAsync(cancellationToken: cancellationToken);
            return null;
        }
    }

    internal Task DeadLetterAsync(string subject, string messageId, NatsHeaders headers, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        RunAsync("dead-letter the request", async token =>
        {
            var maxPayload = _link.Connection.ServerInfo?.MaxPayload ?? 1024 * 1024;
            var kept = data.Length + HeaderRoom <= maxPayload;
            if (!kept)
            {
                headers[AsyncMessage.BodyDropped] = data.Length.ToString(CultureInfo.InvariantCulture);
            }

            var stored = await _jetStream.PublishAsync(subject, kept ? data.ToArray() : [],
                opts: new NatsJSPubOpts { MsgId = messageId }, headers: headers, cancellationToken: token);
            stored.EnsureSuccess();
        }, _options.EnqueueTimeout, cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(FunctionKey function, int max, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<DeadLetter>>("list the dead letters", async token =>
        {
            await ReadyAsync(token);
            var letters = new List<DeadLetter>();
            foreach (var (subject, _, message) in await DeadMessagesAsync(function, null, max, token))
            {
                letters.Add(AsyncMessage.DeadLetter(subject, message.Headers, message.Data?.Length ?? 0));
            }

            return letters;
        }, _options.EnqueueTimeout, cancellationToken);

    public Task<RedriveOutcome> RedriveAsync(FunctionKey function, string id, CancellationToken cancellationToken) =>
        RunAsync("re-drive a dead letter", async token =>
        {
            await ReadyAsync(token);
            if (Calls.CallId.Check(id) is not null || (await DeadMessagesAsync(function, id, 1, token)) is not [var (subject, sequence, message)])
            {
                return RedriveOutcome.NotFound;
            }

            var letter = AsyncMessage.DeadLetter(subject, message.Headers, message.Data?.Length ?? 0);
            if (letter.NotRedrivable is not null)
            {
                return RedriveOutcome.NotRedrivable;
            }

            var request = AsyncMessage.Request(AsyncMessage.QueuePrefix + subject[AsyncMessage.DeadPrefix.Length..], message.Headers, message.Data ?? []);
            await PublishAsync(request, $"{request.CallId}@dead{sequence}", token);
            await _jetStream.DeleteMessageAsync(QueueStreams.DeadLetterStream, new StreamMsgDeleteRequest { Seq = sequence }, token);
            return RedriveOutcome.Queued;
        }, _options.EnqueueTimeout, cancellationToken);

    /// <summary>
    /// Dead letters of a function (one call's, when <paramref name="callId"/> is given), oldest first: direct gets of
    /// the next message on its subjects, each from the sequence after the last. (A direct get's message arrives on an
    /// inbox: its own subject and sequence come in headers; a 404 says there is no more.)
    /// </summary>
    private async Task<List<(string Subject, ulong Sequence, NatsMsg<byte[]> Message)>> DeadMessagesAsync(FunctionKey function, string? callId, int max, CancellationToken cancellationToken)
    {
        var filter = AsyncMessage.DeadPrefix + (callId is null ? AsyncMessage.FunctionFilter(function) : AsyncMessage.Subject(function, callId))[AsyncMessage.QueuePrefix.Length..];
        var stream = await _jetStream.GetStreamAsync(QueueStreams.DeadLetterStream, cancellationToken: cancellationToken);
        var found = new List<(string Subject, ulong Sequence, NatsMsg<byte[]> Message)>();
        ulong next = 0;
        while (found.Count < max)
        {
            var message = await stream.GetDirectAsync<byte[]>(new StreamMsgGetRequest { Seq = next, NextBySubj = filter }, cancellationToken: cancellationToken);
            if (message.Headers is not { Code: not 404 } headers
                || !headers.TryGetLastValue("Nats-Subject", out var subject)
                || !headers.TryGetLastValue("Nats-Sequence", out var text) || !ulong.TryParse(text, CultureInfo.InvariantCulture, out var sequence))
            {
                break;
            }

            found.Add((subject, sequence, message));
            next = sequence + 1;
        }

        return found;
    }

    internal Task DeleteChunksAsync(IReadOnlyList<ulong> sequences, CancellationToken cancellationToken) =>
        RunAsync("delete a body", token => _chunks.DeleteAsync(sequences, token), _options.EnqueueTimeout, cancellationToken);

    /// <summary>The streams and consumer, set up once per connection; a failed set-up is tried again by the next caller.</summary>
    private Task<INatsJSConsumer> ReadyAsync(CancellationToken cancellationToken)
    {
        var setUp = _setUp;
        if (setUp is null || setUp.IsFaulted || setUp.IsCanceled)
        {
            _setUp = setUp = SetUpAsync();
        }

        return setUp.WaitAsync(cancellationToken);
    }

    private async Task<INatsJSConsumer> SetUpAsync()
    {
        try
        {
            var consumer = await _streams.SetUpAsync(CancellationToken.None);
            _setUpProblem = null;
            return consumer;
        }
        catch (Exception error) when (error is NatsException or OperationCanceledException)
        {
            _setUpProblem = $"JetStream at {_link.Server}: {error.Message}";
            LogSetUpFailed(_log, _link.Server, error.Message);
            throw;
        }
    }

    /// <summary>
    /// Runs one operation against NATS within <paramref name="limit"/>, waiting for a connection that is not there yet
    /// within the same limit. Any NATS failure or time-out becomes a <see cref="QueueUnavailableException"/> saying what
    /// could not be done and why.
    /// </summary>
    private async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> operation, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            await _link.WaitUntilConnectedAsync(deadline.Token);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QueueUnavailableException($"the async queue cannot {what}: {_link.Problem ?? "not connected"}", error);
        }

        try
        {
            return await operation(deadline.Token);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QueueUnavailableException($"the async queue cannot {what}: NATS at {_link.Server} did not answer within {limit.TotalSeconds:0.###}s", error);
        }
        catch (NatsException error)
        {
            throw new QueueUnavailableException($"the async queue cannot {what}: {error.Message}", error);
        }
    }

    private Task RunAsync(string what, Func<CancellationToken, Task> operation, TimeSpan limit, CancellationToken cancellationToken) =>
        RunAsync(what, async token =>
        {
            await operation(token);
            return true;
        }, limit, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message on {Subject} moved to the dead letters: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string subject, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting up the async queue's streams on NATS at {Server} failed: {Error}; trying again on next use")]
    private static partial void LogSetUpFailed(ILogger logger, string server, string error);
}
