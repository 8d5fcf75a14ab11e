using Faas.Provider;

namespace Faas.Gateway.Async;

/// <summary>An accepted asynchronous invocation: everything needed to make the call later and report its result.</summary>
public sealed record AsyncRequest
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

/// <summary>A request taken from the queue by the worker, and what the worker does with it in the end.</summary>
public interface IQueuedRequest
{
    AsyncRequest Request { get; }

    /// <summary>How many times it has been handed out, this time included.</summary>
    long Attempt { get; }

    /// <summary>Done (invoked and reported): never again.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Try again after <paramref name="delay"/>.</summary>
    Task RetryAsync(TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Still working on it: keep it from being handed to another worker.</summary>
    Task KeepAliveAsync(CancellationToken cancellationToken);

    /// <summary>Gave up after the last attempt: keep it apart for inspection, with the reason.</summary>
    Task DeadLetterAsync(string reason, CancellationToken cancellationToken);
}

/// <summary>Where accepted async requests wait: JetStream (durable) or an in-process queue (not durable).</summary>
public interface IAsyncQueue
{
    /// <summary>A short description for logs and <c>/system/info</c>.</summary>
    string Description { get; }

    /// <summary>Returns once the request is stored (for JetStream: acknowledged by the stream).</summary>
    Task EnqueueAsync(AsyncRequest request, CancellationToken cancellationToken);

    /// <summary>Removes a request that has not been taken yet; false if there is none by that id.</summary>
    Task<bool> CancelAsync(string callId, CancellationToken cancellationToken);

    /// <summary>Requests of <paramref name="function"/> waiting or being worked on: its queue depth, for the autoscaler.</summary>
    Task<int> DepthAsync(FunctionKey function, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> requests, waiting up to <paramref name="wait"/> for the first.</summary>
    Task<IReadOnlyList<IQueuedRequest>> TakeAsync(int max, TimeSpan wait, CancellationToken cancellationToken);
}
