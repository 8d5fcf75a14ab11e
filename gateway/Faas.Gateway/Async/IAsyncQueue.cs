using Faas.Provider;

namespace Faas.Gateway.Async;

/// <summary>Where accepted async requests wait: JetStream (durable) or an in-process queue (not durable).</summary>
internal interface IAsyncQueue
{
    /// <summary>A short description for logs and <c>/system/info</c>.</summary>
    string Description { get; }

    /// <summary>Null while the queue can take requests; else what is wrong (for 503s and the health detail).</summary>
    string? Problem { get; }

    /// <summary>Returns once the request is stored (for JetStream: acknowledged by the stream).</summary>
    /// <exception cref="QueueUnavailableException">The queue cannot store it now.</exception>
    Task EnqueueAsync(AsyncRequest request, CancellationToken cancellationToken);

    /// <summary>Removes a request that has not been taken yet.</summary>
    Task<CancelOutcome> CancelAsync(string callId, CancellationToken cancellationToken);

    /// <summary>Requests of <paramref name="function"/> waiting or being worked on: its queue depth, for the autoscaler.</summary>
    Task<int> DepthAsync(FunctionKey function, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> of the dead letters of <paramref name="function"/>, oldest first.</summary>
    Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(FunctionKey function, int max, CancellationToken cancellationToken);

    /// <summary>Queues a dead letter again, with its call id, method, path, headers, body and callback, and removes it from the dead letters.</summary>
    Task<RedriveOutcome> RedriveAsync(FunctionKey function, string id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> requests, waiting up to <paramref name="wait"/> for the first.</summary>
    Task<IReadOnlyList<IQueuedRequest>> TakeAsync(int max, TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>What became of a cancellation.</summary>
internal enum CancelOutcome
{
    /// <summary>It was waiting and will never run.</summary>
    Cancelled,

    /// <summary>No request by that id is waiting: never accepted, cancelled already, or finished.</summary>
    NotFound,

    /// <summary>A worker has taken it (it is running, or waiting to be retried): too late to cancel.</summary>
    Started,
}

/// <summary>A request taken from the queue by the worker, and what the worker does with it in the end.</summary>
internal interface IQueuedRequest
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

    /// <summary>
    /// Gives up: keeps it apart for inspection with the reason, and with the function's answer when there is one (its
    /// callback could not be delivered); never handed out again.
    /// </summary>
    Task DeadLetterAsync(string reason, AsyncResult? result, CancellationToken cancellationToken);
}

/// <summary>A function's answer to an async call, as its callback carries it.</summary>
internal sealed record AsyncResult(int Status, ReadOnlyMemory<byte> Body, string? ContentType);
