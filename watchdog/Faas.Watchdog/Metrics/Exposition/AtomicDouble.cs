namespace Faas.Watchdog.Metrics.Exposition;

/// <summary>A double updated with compare-and-swap on its bits, so samples need no lock.</summary>
internal sealed class AtomicDouble
{
    private long _bits;

    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

    public void Add(double amount)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _bits);
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + amount);
            if (Interlocked.CompareExchange(ref _bits, next, current) == current)
            {
                return;
            }
        }
    }
}
