using System.Globalization;
using System.Text;
using Faas.Nats;
using Faas.Nats.JetStream;
using Faas.Provider;

namespace Faas.Gateway.Async;

/// <summary>
/// Async requests in JetStream, on file storage: one subject per request, <c>faas.async.NAMESPACE.NAME.CALL</c>, so each
/// function's queue is countable on its own, in a work-queue stream read by one durable pull consumer. Metadata and the
/// client's headers travel as NATS headers, the body as data; a body too large for one message is stored first as
/// chunks in a stream of its own. Requests that exhaust their attempts go to a dead-letter stream.
/// </summary>
public sealed class JetStreamQueue : IAsyncQueue, IAsyncDisposable
{
    public const string Stream = "FAAS_ASYNC";
    public const string DeadLetterStream = "FAAS_ASYNC_DEAD";
    public const string BodyStream = "FAAS_ASYNC_BODIES";
    public const string Consumer = "faas-queue-worker";

    /// <summary>Room left in a message for its headers when a body is split into chunks.</summary>
    private const int HeaderRoom = 16 * 1024;

    private readonly NatsConnection _connection;
    private readonly JetStreamContext _jetStream;

    private JetStreamQueue(NatsConnection connection)
    {
        _connection = connection;
        _jetStream = new JetStreamContext(connection);
    }

    public string Description => $"JetStream at {_connection.Info.ServerId} (nats-server {_connection.Info.Version})";

    public JetStreamContext JetStream => _jetStream;

    /// <summary>The connection, shared with the topic triggers.</summary>
    public NatsConnection Connection => _connection;

    public static async Task<JetStreamQueue> StartAsync(AsyncOptions options, CancellationToken cancellationToken)
    {
        var connection = await NatsConnection.ConnectAsync(new NatsOptions { Url = options.NatsUrl!, Name = "faas-gateway" }, cancellationToken);
        var queue = new JetStreamQueue(connection);
        var js = queue._jetStream;
        await js.CreateOrUpdateStreamAsync(new StreamConfig { Name = Stream, Subjects = ["faas.async.>"], Retention = "workqueue" }, cancellationToken);
        await js.CreateOrUpdateStreamAsync(new StreamConfig { Name = DeadLetterStream, Subjects = ["faas.dead.>"], MaxAgeNanoseconds = (long)TimeSpan.FromDays(7).TotalMilliseconds * 1_000_000 }, cancellationToken);
        await js.CreateOrUpdateStreamAsync(new StreamConfig { Name = BodyStream, Subjects = ["faas.bodies.>"] }, cancellationToken);
        await js.CreateOrUpdateConsumerAsync(Stream, new ConsumerConfig
        {
            DurableName = Consumer,
            AckWaitNanoseconds = (long)options.AckWait.TotalMilliseconds * 1_000_000,
            MaxAckPending = Math.Max(options.MaxInflight * 4, 256),
        }, cancellationToken);
        return queue;
    }

    public static string Subject(FunctionKey function, string callId) => $"faas.async.{function.Namespace}.{function.Name}.{Token(callId)}";

    public async Task<int> DepthAsync(FunctionKey function, CancellationToken cancellationToken) =>
        (await _jetStream.CountBySubjectAsync(Stream, $"faas.async.{function.Namespace}.{function.Name}.*", cancellationToken)).Count;

    public async Task EnqueueAsync(AsyncRequest request, CancellationToken cancellationToken)
    {
        var headers = AsyncHeaders.From(request);
        var data = request.Body;
        if (request.Body.Length + headers.ToBytes().Length > _connection.Info.MaxPayload)
        {
            var chunk = (int)_connection.Info.MaxPayload - HeaderRoom;
            var sequences = new List<long>();
            for (var offset = 0; offset < request.Body.Length; offset += chunk)
            {
                var part = request.Body.Slice(offset, Math.Min(chunk, request.Body.Length - offset));
                var stored = await _jetStream.PublishAsync($"faas.bodies.{Token(request.CallId)}", part, $"{request.CallId}#{offset}", cancellationToken: cancellationToken);
                sequences.Add(stored.Sequence);
            }

            headers[AsyncHeaders.BodySequences] = string.Join(',', sequences);
            data = ReadOnlyMemory<byte>.Empty;
        }

        await _jetStream.PublishAsync(Subject(request.Function, request.CallId), data, request.CallId, headers, cancellationToken);
    }

    public async Task<bool> CancelAsync(string callId, CancellationToken cancellationToken)
    {
        var cancelled = false;
        foreach (var subject in (await _jetStream.CountBySubjectAsync(Stream, $"faas.async.*.*.{Token(callId)}", cancellationToken)).Keys)
        {
            if (await _jetStream.LastSequenceAsync(Stream, subject, cancellationToken) is { } sequence)
            {
                var deleted = await _jetStream.DeleteMessageAsync(Stream, sequence, cancellationToken);
                cancelled |= deleted.Error is null;
            }
        }

        return cancelled;
    }

    public async Task<IReadOnlyList<IQueuedRequest>> TakeAsync(int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var taken = new List<IQueuedRequest>();
        foreach (var message in await _jetStream.FetchAvailableAsync(Stream, Consumer, max, wait, cancellationToken))
        {
            var sequences = message.Headers?[AsyncHeaders.BodySequences] is { Length: > 0 } list
                ? list.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList()
                : [];
            var body = message.Data;
            if (sequences.Count > 0)
            {
                var assembled = new MemoryStream();
                foreach (var sequence in sequences)
                {
                    assembled.Write((await _jetStream.GetMessageAsync(BodyStream, sequence, cancellationToken)).Data);
                }

                body = assembled.ToArray();
            }

            taken.Add(new Taken(this, message, AsyncHeaders.ToRequest(message.Subject, message.Headers!, body), sequences));
        }

        return taken;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>A call id as one subject token: no dots, wildcards or whitespace.</summary>
    private static string Token(string callId)
    {
        var token = new StringBuilder(callId.Length);
        foreach (var c in callId)
        {
            token.Append(c is '.' or '*' or '>' || char.IsWhiteSpace(c) || char.IsControl(c) ? '_' : c);
        }

        return token.ToString();
    }

    private sealed class Taken(JetStreamQueue queue, JetStreamMessage message, AsyncRequest request, List<long> bodySequences) : IQueuedRequest
    {
        public AsyncRequest Request => request;

        public long Attempt => message.Delivered;

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await message.AckAsync(cancellationToken);
            await DeleteBodyAsync(cancellationToken);
        }

        public Task RetryAsync(TimeSpan delay, CancellationToken cancellationToken) => message.NakAsync(delay, cancellationToken);

        public Task KeepAliveAsync(CancellationToken cancellationToken) => message.InProgressAsync(cancellationToken);

        public async Task DeadLetterAsync(string reason, CancellationToken cancellationToken)
        {
            var headers = AsyncHeaders.From(request);
            headers[AsyncHeaders.DeadReason] = reason;
            headers[AsyncHeaders.Attempts] = Attempt.ToString(CultureInfo.InvariantCulture);
            var body = request.Body.Length + headers.ToBytes().Length <= queue._connection.Info.MaxPayload ? request.Body : ReadOnlyMemory<byte>.Empty;
            await queue._jetStream.PublishAsync(message.Subject.Replace("faas.async.", "faas.dead.", StringComparison.Ordinal), body, request.CallId, headers, cancellationToken);
            await message.AckAsync(cancellationToken);
            await DeleteBodyAsync(cancellationToken);
        }

        private async Task DeleteBodyAsync(CancellationToken cancellationToken)
        {
            foreach (var sequence in bodySequences)
            {
                await queue._jetStream.DeleteMessageAsync(BodyStream, sequence, cancellationToken);
            }
        }
    }
}
