using System.Globalization;
using Faas.Provider;
using NATS.Client.Core;

namespace Faas.Gateway.Async.JetStream;

/// <summary>
/// How an <see cref="AsyncRequest"/> is carried in JetStream: one subject per call, <c>faas.async.NAMESPACE.NAME.CALL</c>
/// (so each function's queue is countable on its own and a call can be found by its id), <c>Faas-*</c> headers for the
/// metadata, the client's headers as <c>Http-NAME</c>, the body as data.
/// </summary>
internal static class AsyncMessage
{
    public const string CallId = "Faas-Call-Id";
    public const string Method = "Faas-Method";
    public const string Path = "Faas-Path";
    public const string CallbackUrl = "Faas-Callback-Url";
    public const string AcceptedAt = "Faas-Accepted-At";
    public const string BodySequences = "Faas-Body-Seqs";
    public const string DeadReason = "Faas-Dead-Reason";
    public const string Attempts = "Faas-Attempts";
    public const string ResultStatus = "Faas-Result-Status";
    public const string ResultContentType = "Faas-Result-Content-Type";
    public const string BodyDropped = "Faas-Body-Dropped";
    private const string HttpPrefix = "Http-";

    public const string QueuePrefix = "faas.async.";
    public const string DeadPrefix = "faas.dead.";

    /// <summary>The subject of a call; call ids are checked words (see Invoke.CallId), so they are one safe token.</summary>
    public static string Subject(FunctionKey function, string callId) => $"{QueuePrefix}{function.Namespace}.{function.Name}.{callId}";

    /// <summary>Every call of one function, waiting or taken.</summary>
    public static string FunctionFilter(FunctionKey function) => $"{QueuePrefix}{function.Namespace}.{function.Name}.*";

    /// <summary>A call of any function, by its id.</summary>
    public static string CallFilter(string callId) => $"{QueuePrefix}*.*.{callId}";

    public static NatsHeaders Headers(AsyncRequest request)
    {
        var headers = new NatsHeaders
        {
            [CallId] = request.CallId,
            [Method] = request.Method,
            [Path] = request.PathAndQuery,
            [AcceptedAt] = request.AcceptedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        if (request.CallbackUrl is not null)
        {
            headers[CallbackUrl] = request.CallbackUrl;
        }

        foreach (var group in request.Headers.GroupBy(header => header.Key, StringComparer.OrdinalIgnoreCase))
        {
            headers[HttpPrefix + group.Key] = new Microsoft.Extensions.Primitives.StringValues([.. group.Select(header => header.Value)]);
        }

        return headers;
    }

    /// <summary>The request back from a message on <c>faas.async.NAMESPACE.NAME.CALL</c>.</summary>
    /// <exception cref="FormatException">The subject is not of that form.</exception>
    public static AsyncRequest Request(string subject, NatsHeaders? headers, ReadOnlyMemory<byte> body)
    {
        var tokens = subject.Split('.');
        if (tokens.Length != 5)
        {
            throw new FormatException($"subject {subject} is not faas.async.NAMESPACE.NAME.CALL");
        }

        string? Get(string name) => headers is not null && headers.TryGetLastValue(name, out var value) ? value : null;
        return new AsyncRequest
        {
            CallId = Get(CallId) ?? tokens[^1],
            Function = new FunctionKey(tokens[3], tokens[2]),
            Method = Get(Method) ?? "POST",
            PathAndQuery = Get(Path) ?? "/",
            CallbackUrl = Get(CallbackUrl),
            AcceptedAt = long.TryParse(Get(AcceptedAt), CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UtcNow,
            Headers = headers is null ? [] : [.. headers
                .Where(header => header.Key.StartsWith(HttpPrefix, StringComparison.Ordinal))
                .SelectMany(header => header.Value.Select(value => new KeyValuePair<string, string>(header.Key[HttpPrefix.Length..], value ?? "")))],
            Body = body,
        };
    }

    /// <summary>What the dashboard lists of a message on <c>faas.dead.NAMESPACE.NAME.CALL</c>, read with a direct get (which adds <c>Nats-Time-Stamp</c>).</summary>
    public static DeadLetter DeadLetter(string subject, NatsHeaders? headers, long dataLength)
    {
        string? Get(string name) => headers is not null && headers.TryGetLastValue(name, out var value) ? value : null;
        var request = Request(QueuePrefix + subject[DeadPrefix.Length..], headers, ReadOnlyMemory<byte>.Empty);
        var dropped = long.TryParse(Get(BodyDropped), CultureInfo.InvariantCulture, out var droppedBytes);
        return new DeadLetter
        {
            Id = request.CallId,
            CallId = request.CallId,
            Reason = Get(DeadReason) ?? "",
            Attempts = long.TryParse(Get(Attempts), CultureInfo.InvariantCulture, out var attempts) ? attempts : 0,
            Method = request.Method,
            Path = request.PathAndQuery,
            AcceptedAt = request.AcceptedAt.ToUnixTimeMilliseconds(),
            DeadAt = DateTimeOffset.TryParse(Get("Nats-Time-Stamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUnixTimeMilliseconds() : 0,
            BodyBytes = dropped ? droppedBytes : dataLength,
            NotRedrivable = Get(ResultStatus) is not null ? DeadLetters.AnswerKept : dropped ? DeadLetters.BodyDropped : null,
        };
    }
}
