using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Faas.Nats.Protocol;

namespace Faas.Nats.JetStream;

/// <summary>
/// The JetStream API over a <see cref="NatsConnection"/>: requests to <c>$JS.API.*</c> subjects with JSON bodies.
/// Streams and durable pull consumers are created or updated, messages published with de-duplication ids and
/// acknowledged by the server, fetched in batches, and acknowledged through their <see cref="JetStreamMessage"/>.
/// </summary>
public sealed class JetStreamContext(NatsConnection connection)
{
    private const string Api = "$JS.API.";

    public NatsConnection Connection => connection;

    public async Task<StreamInfoResponse> CreateOrUpdateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(config, NatsJson.Default.StreamConfig);
        var created = await CallAsync($"STREAM.CREATE.{config.Name}", body, NatsJson.Default.StreamInfoResponse, cancellationToken, throwOnError: false);
        if (created.Error is { ErrorCode: JetStreamException.StreamNameInUse })
        {
            return await CallAsync($"STREAM.UPDATE.{config.Name}", body, NatsJson.Default.StreamInfoResponse, cancellationToken);
        }

        return created.Error is { } error ? throw new JetStreamException(error, $"create stream {config.Name}") : created;
    }

    public Task<StreamInfoResponse> GetStreamAsync(string stream, CancellationToken cancellationToken = default) =>
        CallAsync($"STREAM.INFO.{stream}", default, NatsJson.Default.StreamInfoResponse, cancellationToken);

    /// <summary>How many messages each subject matching <paramref name="filter"/> (wildcards allowed) holds.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountBySubjectAsync(string stream, string filter, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new StreamInfoRequest { SubjectsFilter = filter }, NatsJson.Default.StreamInfoRequest);
        var info = await CallAsync($"STREAM.INFO.{stream}", body, NatsJson.Default.StreamInfoResponse, cancellationToken);
        return info.State?.Subjects ?? [];
    }

    /// <summary>The sequence of the last message on <paramref name="subject"/>, or null if there is none.</summary>
    public async Task<long?> LastSequenceAsync(string stream, string subject, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new LastBySubjectRequest { Subject = subject }, NatsJson.Default.LastBySubjectRequest);
        var response = await CallAsync($"STREAM.MSG.GET.{stream}", body, NatsJson.Default.StoredMessageResponse, cancellationToken, throwOnError: false);
        return response.Error is { Code: 404 } ? null
            : response.Error is { } error ? throw new JetStreamException(error, $"get last message of {subject}")
            : response.Message?.Sequence;
    }

    public Task<ApiResponse> DeleteStreamAsync(string stream, CancellationToken cancellationToken = default) =>
        CallAsync($"STREAM.DELETE.{stream}", default, NatsJson.Default.ApiResponse, cancellationToken);

    /// <summary>Creates a durable consumer, or updates it (the server accepts compatible changes).</summary>
    public Task<ConsumerInfoResponse> CreateOrUpdateConsumerAsync(string stream, ConsumerConfig config, CancellationToken cancellationToken = default) =>
        CallAsync($"CONSUMER.DURABLE.CREATE.{stream}.{config.DurableName}",
            JsonSerializer.SerializeToUtf8Bytes(new CreateConsumerRequest { StreamName = stream, Config = config }, NatsJson.Default.CreateConsumerRequest),
            NatsJson.Default.ConsumerInfoResponse, cancellationToken);

    /// <summary>Includes <c>num_pending</c> and <c>num_ack_pending</c>: the queue depth of the consumer.</summary>
    public Task<ConsumerInfoResponse> GetConsumerAsync(string stream, string consumer, CancellationToken cancellationToken = default) =>
        CallAsync($"CONSUMER.INFO.{stream}.{consumer}", default, NatsJson.Default.ConsumerInfoResponse, cancellationToken);

    /// <summary>Publishes and waits for the stream's acknowledgement; a repeated <paramref name="messageId"/> within the duplicate window is stored once.</summary>
    public async Task<PubAckResponse> PublishAsync(string subject, ReadOnlyMemory<byte> data, string? messageId = null, NatsHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        if (messageId is not null)
        {
            headers ??= new NatsHeaders();
            headers["Nats-Msg-Id"] = messageId;
        }

        NatsMessage reply;
        try
        {
            reply = await connection.RequestAsync(subject, data, headers, cancellationToken: cancellationToken);
        }
        catch (NatsNoRespondersException)
        {
            throw new NatsException($"publish to {subject}: no stream takes this subject");
        }

        var ack = JsonSerializer.Deserialize(reply.Data.Span, NatsJson.Default.PubAckResponse) ?? throw new NatsException($"publish to {subject}: an empty acknowledgement");
        return ack.Error is { } error ? throw new JetStreamException(error, $"publish to {subject}") : ack;
    }

    /// <summary>
    /// Up to <paramref name="batch"/> messages, waiting at most <paramref name="expires"/> for them; fewer (or none)
    /// when the wait ends first.
    /// </summary>
    public Task<IReadOnlyList<JetStreamMessage>> FetchAsync(string stream, string consumer, int batch, TimeSpan expires, CancellationToken cancellationToken = default) =>
        PullAsync(stream, consumer, new PullRequest { Batch = batch, ExpiresNanoseconds = (long)(expires.TotalMilliseconds * 1_000_000) }, expires, cancellationToken);

    /// <summary>
    /// For workers: what is available now (up to <paramref name="max"/>), or else the first message to arrive within
    /// <paramref name="wait"/>. No pull request is left waiting afterwards, so no message is delivered to nobody.
    /// </summary>
    public async Task<IReadOnlyList<JetStreamMessage>> FetchAvailableAsync(string stream, string consumer, int max, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var available = await PullAsync(stream, consumer, new PullRequest { Batch = max, NoWait = true }, TimeSpan.FromSeconds(1), cancellationToken);
        return available.Count > 0
            ? available
            : await PullAsync(stream, consumer, new PullRequest { Batch = 1, ExpiresNanoseconds = (long)(wait.TotalMilliseconds * 1_000_000) }, wait, cancellationToken);
    }

    private async Task<IReadOnlyList<JetStreamMessage>> PullAsync(string stream, string consumer, PullRequest request, TimeSpan expires, CancellationToken cancellationToken)
    {
        var batch = request.Batch;
        var inbox = connection.NewInbox();
        await using var subscription = await connection.SubscribeAsync(inbox, cancellationToken: cancellationToken);
        await connection.PublishAsync($"{Api}CONSUMER.MSG.NEXT.{stream}.{consumer}", JsonSerializer.SerializeToUtf8Bytes(request, NatsJson.Default.PullRequest), replyTo: inbox, cancellationToken: cancellationToken);

        var messages = new List<JetStreamMessage>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(expires + TimeSpan.FromSeconds(1));
        try
        {
            while (messages.Count < batch && await subscription.Messages.WaitToReadAsync(deadline.Token))
            {
                while (messages.Count < batch && subscription.Messages.TryRead(out var message))
                {
                    if (message.Status is { } status)
                    {
                        // 404 no messages, 408 request expired, 409 limits: the pull is over. 100 is a heartbeat.
                        if (status != 100)
                        {
                            return messages;
                        }

                        continue;
                    }

                    messages.Add(new JetStreamMessage(connection, message));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return messages;
    }

    public Task<ApiResponse> DeleteMessageAsync(string stream, long sequence, CancellationToken cancellationToken = default) =>
        CallAsync($"STREAM.MSG.DELETE.{stream}", JsonSerializer.SerializeToUtf8Bytes(new SequenceRequest { Sequence = sequence }, NatsJson.Default.SequenceRequest), NatsJson.Default.ApiResponse, cancellationToken);

    /// <summary>A stored message by sequence, with its headers and data decoded.</summary>
    public async Task<(NatsHeaders? Headers, byte[] Data)> GetMessageAsync(string stream, long sequence, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync($"STREAM.MSG.GET.{stream}", JsonSerializer.SerializeToUtf8Bytes(new SequenceRequest { Sequence = sequence }, NatsJson.Default.SequenceRequest), NatsJson.Default.StoredMessageResponse, cancellationToken);
        var message = response.Message ?? throw new NatsException($"get message {sequence} of {stream}: an empty answer");
        var headers = message.Headers is { Length: > 0 } block ? NatsHeaders.Parse(Convert.FromBase64String(block)) : null;
        return (headers, message.Data is { Length: > 0 } data ? Convert.FromBase64String(data) : []);
    }

    private async Task<T> CallAsync<T>(string operation, ReadOnlyMemory<byte> body, JsonTypeInfo<T> type, CancellationToken cancellationToken, bool throwOnError = true)
        where T : ApiResponse
    {
        NatsMessage reply;
        try
        {
            reply = await connection.RequestAsync(Api + operation, body, cancellationToken: cancellationToken);
        }
        catch (NatsNoRespondersException)
        {
            throw new NatsException($"{operation}: JetStream is not enabled on the server (start it with -js)");
        }

        var response = JsonSerializer.Deserialize(reply.Data.Span, type) ?? throw new NatsException($"{operation}: an empty answer");
        return throwOnError && response.Error is { } error ? throw new JetStreamException(error, operation.ToLowerInvariant()) : response;
    }
}
