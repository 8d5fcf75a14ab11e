namespace Faas.Watchdog.Health;

/// <summary>Admits at most <c>max_inflight</c> concurrent invocations (0 = unlimited) and counts those in flight and admitted.</summary>
internal sealed class ConcurrencyLimiter(int maxInflight)
{
    private int _inflight;
    private long _admitted;

    public int Limit => maxInflight;

    public int Inflight => Volatile.Read(ref _inflight);

    public bool IsSaturated => maxInflight > 0 && Inflight >= maxInflight;

    /// <summary>Invocations admitted since start.</summary>
    public long Admitted => Interlocked.Read(ref _admitted);

    public bool TryEnter()
    {
        var now = Interlocked.Increment(ref _inflight);
        if (maxInflight > 0 && now > maxInflight)
        {
            Interlocked.Decrement(ref _inflight);
            return false;
        }

        Interlocked.Increment(ref _admitted);
        return true;
    }

    public void Exit() => Interlocked.Decrement(ref _inflight);
}
