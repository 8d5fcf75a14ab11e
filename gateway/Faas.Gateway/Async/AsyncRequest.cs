using Faas.Provider;

namespace Faas.Gateway.Async;

/// <summary>An accepted asynchronous invocation: everything needed to make the call later and report its result.</summary>
internal sealed record AsyncRequest
{
    public required string CallId { get; init; }

    public required FunctionKey Function { get; init; }

    public required string Method { get; init; }

    /// <summary>The path below <c>/async-function/NAME</c> with its query, as received.</summary>
    public required string PathAndQuery { get; init; }

    /// <summary>The client's headers (end-to-end ones only).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public string? CallbackUrl { get; init; }

    /// <summary>When the gateway accepted it (for the queue-to-callback time).</summary>
    public DateTimeOffset AcceptedAt { get; init; }
}
