namespace Faas.Proxy.FastPath;

/// <summary>
/// The deadline of the request a fast-path connection is serving. One cancellation source per connection, tied to the
/// connection's closing once and armed for each request: a request pays neither a pooled deadline's locks nor a
/// registration of its own (together a few percent of the watchdog's time per proxied request).
/// </summary>
public sealed class ConnectionDeadline : IDisposable
{
    private readonly CancellationToken _connectionClosed;
    private readonly CancellationTokenRegistration _closing;
    private CancellationTokenSource _source = new();

    public ConnectionDeadline(CancellationToken connectionClosed)
    {
        _connectionClosed = connectionClosed;
        _closing = connectionClosed.UnsafeRegister(static deadline => ((ConnectionDeadline)deadline!).CancelCurrent(), this);
    }

    /// <summary>The limit of the current request; <see cref="TimeSpan.Zero"/> when it has none.</summary>
    public TimeSpan Limit { get; private set; }

    /// <summary>Cancelled at the current request's limit or when the client goes away.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True once the limit has passed (and not merely because the client went away).</summary>
    public bool Expired => _source.IsCancellationRequested && !_connectionClosed.IsCancellationRequested;

    /// <param name="limit">Zero or less: no limit, only the client going away cancels.</param>
    public void Arm(TimeSpan limit)
    {
        Limit = limit > TimeSpan.Zero ? limit : TimeSpan.Zero;
        if (Limit > TimeSpan.Zero)
        {
            _source.CancelAfter(Limit);
        }
    }

    /// <summary>Ends the current request's deadline; a source that fired is replaced for the next request.</summary>
    public void Disarm()
    {
        if (_source.TryReset())
        {
            return;
        }

        var spent = _source;
        _source = new CancellationTokenSource();
        spent.Dispose();
        if (_connectionClosed.IsCancellationRequested)
        {
            _source.Cancel();
        }
    }

    public void Dispose()
    {
        _closing.Dispose();
        _source.Dispose();
    }

    private void CancelCurrent()
    {
        try
        {
            Volatile.Read(ref _source).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Replaced at that moment: Disarm cancels the new source itself once it sees the connection closed.
        }
    }
}
