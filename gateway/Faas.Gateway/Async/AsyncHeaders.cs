using System.Globalization;
using Faas.Nats;
using Faas.Provider;

namespace Faas.Gateway.Async;

/// <summary>How an <see cref="AsyncRequest"/> is carried in NATS headers: <c>Faas-*</c> metadata, the client's headers as <c>Http-NAME</c>.</summary>
public static class AsyncHeaders
{
    public const string CallId = "Faas-Call-Id";
    public const string Method = "Faas-Method";
    public const string Path = "Faas-Path";
    public const string CallbackUrl = "Faas-Callback-Url";
    public const string AcceptedAt = "Faas-Accepted-At";
    public const string BodySequences = "Faas-Body-Seqs";
    public const string DeadReason = "Faas-Dead-Reason";
    public const string Attempts = "Faas-Attempts";
    private const string HttpPrefix = "Http-";

    public static NatsHeaders From(AsyncRequest request)
    {
        var headers = new NatsHeaders()
            .Add(CallId, request.CallId)
            .Add(Method, request.Method)
            .Add(Path, request.PathAndQuery)
            .Add(AcceptedAt, request.AcceptedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        if (request.CallbackUrl is not null)
        {
            headers.Add(CallbackUrl, request.CallbackUrl);
        }

        foreach (var (name, value) in request.Headers)
        {
            headers.Add(HttpPrefix + name, value);
        }

        return headers;
    }

    /// <summary>The request back from a message on <c>faas.async.NAMESPACE.NAME.CALL</c>.</summary>
    public static AsyncRequest ToRequest(string subject, NatsHeaders headers, ReadOnlyMemory<byte> body)
    {
        var tokens = subject.Split('.');
        return new AsyncRequest
        {
            CallId = headers[CallId] ?? tokens[^1],
            Function = new FunctionKey(tokens[3], tokens[2]),
            Method = headers[Method] ?? "POST",
            PathAndQuery = headers[Path] ?? "/",
            CallbackUrl = headers[CallbackUrl],
            AcceptedAt = long.TryParse(headers[AcceptedAt], CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UtcNow,
            Headers = [.. headers.Entries.Where(e => e.Key.StartsWith(HttpPrefix, StringComparison.Ordinal)).Select(e => new KeyValuePair<string, string>(e.Key[HttpPrefix.Length..], e.Value))],
            Body = body,
        };
    }
}
