using System.Diagnostics;

namespace Faas.Proxy.FastPath;

/// <summary>
/// The deadline of the request a fast-path connection is serving. One cancellation source per connection, tied to the
/// connection's closing once; each request arms it with a timestamp, and <see cref="DeadlineSweep"/> cancels the
/// requests past theirs. A request pays neither a timer (a CancelAfter armed and disarmed per request took the timer
/// queue's lock twice: 3–4% of a proxy's saturated req/s) nor a registration of its own.
/// </summary>
public sealed class ConnectionDeadline : IDisposable
{
    private readonly CancellationToken _connectionClosed;
    private readonly CancellationTokenRegistration _closing;
    private readonly Lock _gate = new();
    private CancellationTokenSource _source = new();
    private long _expiresAt;
    private bool _armed;
    private bool _fired;

    public ConnectionDeadline(CancellationToken connectionClosed)
    {
        _connectionClosed = connectionClosed;
        _closing = connectionClosed.UnsafeRegister(static deadline => ((ConnectionDeadline)deadline!).CancelCurrent(), this);
        DeadlineSweep.Add(this);
    }

    /// <summary>The limit of the current request; <see cref="TimeSpan.Zero"/> when it has none.</summary>
    public TimeSpan Limit { get; private set; }

    /// <summary>Cancelled at the current request's limit (within <see cref="DeadlineSweep.Interval"/>) or when the client goes away.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True once the limit has passed (and not merely because the client went away).</summary>
    public bool Expired => Volatile.Read(ref _fired) && !_connectionClosed.IsCancellationRequested;

    /// <param name="limit">Zero or less: no limit, only the client going away cancels.</param>
    public void Arm(TimeSpan limit)
    {
        Limit = limit > TimeSpan.Zero ? limit : TimeSpan.Zero;
        if (Limit == TimeSpan.Zero)
        {
            return;
        }

        var expiresAt = Stopwatch.GetTimestamp() + (long)(Limit.TotalSeconds * Stopwatch.Frequency);
        bool newlyArmed;
        lock (_gate)
        {
            _expiresAt = expiresAt;
            newlyArmed = !_armed;
            _armed = true;
        }

        if (newlyArmed)
        {
            DeadlineSweep.Armed();
        }
    }

    /// <summary>Ends the current request's deadline; a source that fired is replaced for the next request.</summary>
    public void Disarm()
    {
        CancellationTokenSource? spent = null;
        lock (_gate)
        {
            if (_armed)
            {
                _armed = false;
                DeadlineSweep.Disarmed();
            }

            // A source that did not fire is kept, its registrations cleared (as anything left registered by the request).
            if (_fired || !_source.TryReset())
            {
                _fired = false;
                spent = _source;
                _source = new CancellationTokenSource();
            }
        }

        if (spent is null)
        {
            return;
        }

        spent.Dispose();
        if (_connectionClosed.IsCancellationRequested)
        {
            _source.Cancel();
        }
    }

    public void Dispose()
    {
        DeadlineSweep.Remove(this);
        lock (_gate)
        {
            if (_armed)
            {
                _armed = false;
                DeadlineSweep.Disarmed();
            }
        }

        _closing.Dispose();
        _source.Dispose();
    }

    /// <summary>Cancels the current request if it is past its limit at <paramref name="now"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    internal void ExpireIfDue(long now)
    {
        CancellationTokenSource due;
        lock (_gate)
        {
            if (!_armed || _fired || now < _expiresAt)
            {
                return;
            }

            _fired = true;
            due = _source;
        }

        // Outside the lock: cancelling runs the request's callbacks, and the request may disarm and replace the source
        // meanwhile, in which case the cancelled source is one no request uses any more.
        Cancel(due);
    }

    private void CancelCurrent() => Cancel(Volatile.Read(ref _source));

    private static void Cancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Replaced at that moment: Disarm cancels the new source itself once it sees the connection closed.
        }
    }
}
