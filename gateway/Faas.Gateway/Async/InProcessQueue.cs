using System.Collections.Concurrent;
using System.Threading.Channels;
using Faas.Provider;

namespace Faas.Gateway.Async;

/// <summary>
/// The queue when no NATS is configured: the same API in memory. It is not durable: requests waiting in it are lost
/// if the gateway stops. Requests that exhaust their attempts are logged and kept, the last
/// <see cref="DeadLetterLimit"/> of them, to be listed or sent again.
/// </summary>
internal sealed class InProcessQueue(ILogger<InProcessQueue> log) : IAsyncQueue
{
    private readonly Channel<Entry> _ready = Channel.CreateUnbounded<Entry>();
    private readonly ConcurrentDictionary<string, Entry> _waiting = new();
    private readonly ILogger _log = log;
    private readonly ConcurrentDictionary<FunctionKey, int> _depth = new();
    private readonly LinkedList<(long Id, DeadLetter Letter, AsyncRequest Request)> _dead = new();
    private long _deadSequence;

    public const int DeadLetterLimit = 1000;

    public string Description => "in-process (not durable: set Gateway:Async:NatsUrl for JetStream)";

    public string? Problem => null;

    public Task EnqueueAsync(AsyncRequest request, CancellationToken cancellationToken)
    {
        var entry = new Entry(request);
        _waiting[request.CallId] = entry;
        _depth.AddOrUpdate(request.Function, 1, (_, n) => n + 1);
        _ready.Writer.TryWrite(entry);
        return Task.CompletedTask;
    }

    public Task<CancelOutcome> CancelAsync(string callId, CancellationToken cancellationToken)
    {
        if (!_waiting.TryRemove(callId, out var entry))
        {
            return Task.FromResult(CancelOutcome.NotFound);
        }

        if (!entry.Cancel())
        {
            return Task.FromResult(CancelOutcome.Started);
        }

        Finished(entry.Request.Function);
        return Task.FromResult(CancelOutcome.Cancelled);
    }

    public Task<int> DepthAsync(FunctionKey function, CancellationToken cancellationToken) => Task.FromResult(_depth.GetValueOrDefault(function));

    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(FunctionKey function, int max, CancellationToken cancellationToken)
    {
        lock (_dead)
        {
            return Task.FromResult<IReadOnlyList<DeadLetter>>([.. _dead.Where(dead => dead.Request.Function == function).Take(max).Select(dead => dead.Letter)]);
        }
    }

    public async Task<RedriveOutcome> RedriveAsync(FunctionKey function, string id, CancellationToken cancellationToken)
    {
        AsyncRequest? request = null;
        lock (_dead)
        {
            for (var node = _dead.First; node is not null; node = node.Next)
            {
                if (node.Value.Request.Function == function && node.Value.Letter.Id == id)
                {
                    if (node.Value.Letter.NotRedrivable is not null)
                    {
                        return RedriveOutcome.NotRedrivable;
                    }

                    request = node.Value.Request;
                    _dead.Remove(node);
                    break;
                }
            }
        }

        if (request is null)
        {
            return RedriveOutcome.NotFound;
        }

        await EnqueueAsync(request, cancellationToken);
        return RedriveOutcome.Queued;
    }

    private void Bury(AsyncRequest request, string reason, long attempts, AsyncResult? result)
    {
        lock (_dead)
        {
            var id = ++_deadSequence;
            _dead.AddLast((id, new DeadLetter
            {
                Id = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                CallId = request.CallId,
                Reason = reason,
                Attempts = attempts,
                Method = request.Method,
                Path = request.PathAndQuery,
                AcceptedAt = request.AcceptedAt.ToUnixTimeMilliseconds(),
                DeadAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                BodyBytes = request.Body.Length,
                NotRedrivable = result is null ? null : DeadLetters.AnswerKept,
            }, request));
            if (_dead.Count > DeadLetterLimit)
            {
                _dead.RemoveFirst();
            }
        }
    }

    private void Finished(FunctionKey function) => _depth.AddOrUpdate(function, 0, (_, n) => Math.Max(0, n - 1));

    public async Task<IReadOnlyList<IQueuedRequest>> TakeAsync(int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var taken = new List<IQueuedRequest>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            while (taken.Count < max && (taken.Count > 0 ? _ready.Reader.TryPeek(out _) : await _ready.Reader.WaitToReadAsync(deadline.Token)))
            {
                if (_ready.Reader.TryRead(out var entry) && entry.Take())
                {
                    _waiting.TryRemove(entry.Request.CallId, out _);
                    taken.Add(new Taken(this, entry));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return taken;
    }

    private sealed class Entry(AsyncRequest request)
    {
        private int _state;

        public AsyncRequest Request => request;

        public long Attempts { get; set; }

        /// <summary>Claims it for a worker; false if it was cancelled.</summary>
        public bool Take() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public bool Cancel() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

        public void Release() => Volatile.Write(ref _state, 0);
    }

    private sealed class Taken(InProcessQueue queue, Entry entry) : IQueuedRequest
    {
        private readonly long _attempt = ++entry.Attempts;

        public AsyncRequest Request => entry.Request;

        public long Attempt => _attempt;

        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            queue.Finished(entry.Request.Function);
            return Task.CompletedTask;
        }

        public async Task RetryAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            entry.Release();
            queue._waiting[entry.Request.CallId] = entry;
            await Task.Delay(delay, cancellationToken);
            queue._ready.Writer.TryWrite(entry);
        }

        public Task KeepAliveAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DeadLetterAsync(string reason, AsyncResult? result, CancellationToken cancellationToken)
        {
            queue.Finished(entry.Request.Function);
            queue._log.LogWarning("Async call {CallId} to {Function} gave up after {Attempts} attempts: {Reason}", entry.Request.CallId, entry.Request.Function, _attempt, reason);
            queue.Bury(entry.Request, reason, _attempt, result);
            return Task.CompletedTask;
        }
    }
}
