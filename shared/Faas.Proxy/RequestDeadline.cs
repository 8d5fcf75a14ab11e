namespace Faas.Proxy;

/// <summary>
/// One request's deadline: a token cancelled when the time limit passes or the client goes away, and
/// <see cref="Expired"/> to tell the two apart. Deadlines are pooled with their cancellation source and its timer
/// (a source that was never cancelled and whose timer never fired can be reset): a linked source per request cost a
/// source, a timer, a registration list and two callback nodes, a quarter of a proxied request's allocations.
/// </summary>
public sealed class RequestDeadline : IDisposable
{
    private const int PoolLimit = 1024;

    private static readonly Stack<RequestDeadline> Pool = new();
    private static readonly Lock PoolLock = new();

    private CancellationTokenSource _source = new();
    private CancellationTokenRegistration _clientGone;
    private CancellationToken _requestAborted;
    private bool _running;

    private RequestDeadline()
    {
    }

    /// <summary>The limit in force; <see cref="TimeSpan.Zero"/> when there is none.</summary>
    public TimeSpan Limit { get; private set; }

    public CancellationToken Token => _source.Token;

    /// <summary>True once the limit has passed (and not merely because the client went away).</summary>
    public bool Expired => _source.IsCancellationRequested && !_requestAborted.IsCancellationRequested;

    /// <param name="limit">Zero or less: no limit, only the client going away cancels.</param>
    /// <param name="requestAborted">The client's connection going away.</param>
    public static RequestDeadline Start(TimeSpan limit, CancellationToken requestAborted)
    {
        RequestDeadline? deadline;
        lock (PoolLock)
        {
            Pool.TryPop(out deadline);
        }

        deadline ??= new RequestDeadline();
        deadline._running = true;
        deadline.Limit = limit > TimeSpan.Zero ? limit : TimeSpan.Zero;
        deadline._requestAborted = requestAborted;
        if (deadline.Limit > TimeSpan.Zero)
        {
            deadline._source.CancelAfter(deadline.Limit);
        }

        deadline._clientGone = requestAborted.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline._source);
        return deadline;
    }

    /// <summary>Ends the deadline; neither it nor its token may be used afterwards.</summary>
    public void Dispose()
    {
        if (!_running)
        {
            return;
        }

        _running = false;
        _clientGone.Dispose();
        _requestAborted = default;

        // TryReset fails once the source was cancelled or its timer was ever queued: then a fresh source.
        if (!_source.TryReset())
        {
            _source.Dispose();
            _source = new CancellationTokenSource();
        }

        lock (PoolLock)
        {
            if (Pool.Count < PoolLimit)
            {
                Pool.Push(this);
            }
        }
    }
}
