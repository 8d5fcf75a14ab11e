namespace Faas.Watchdog.Health;

/// <summary>Admits at most <c>max_inflight</c> concurrent invocations (0 = unlimited) and counts those in flight.</summary>
internal sealed class ConcurrencyLimiter(int maxInflight)
{
    private int _inflight;

    public int Limit => maxInflight;

    public int Inflight => Volatile.Read(ref _inflight);

    public bool IsSaturated => maxInflight > 0 && Inflight >= maxInflight;

    public bool TryEnter()
    {
        var now = Interlocked.Increment(ref _inflight);
        if (maxInflight > 0 && now > maxInflight)
        {
            Interlocked.Decrement(ref _inflight);
            return false;
        }

        return true;
    }

    public void Exit() => Interlocked.Decrement(ref _inflight);
}
