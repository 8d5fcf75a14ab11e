namespace Faas.Gateway.Metrics;

/// <summary>
/// Invocation durations counted in fine log-scale buckets (each 20% wider than the last, 50 µs to about a minute), so
/// the dashboard's p50 and p99 over any window come from two snapshots' difference, within 20%. Prometheus'
/// histogram keeps OpenFaaS' coarse buckets (5 ms at the bottom), too coarse for sub-millisecond functions.
/// </summary>
internal sealed class LatencyBuckets
{
    public const int Count = 80;
    private const double Smallest = 50e-6;
    private const double Growth = 1.2;
    private static readonly double LogGrowth = Math.Log(Growth);

    private readonly long[] _counts = new long[Count];

    public void Observe(double seconds)
    {
        var index = seconds <= Smallest ? 0 : Math.Min(Count - 1, (int)Math.Ceiling(Math.Log(seconds / Smallest) / LogGrowth));
        Interlocked.Increment(ref _counts[index]);
    }

    /// <summary>The counts so far (each read atomically; the set is as good as a snapshot for a dashboard).</summary>
    public long[] Snapshot()
    {
        var copy = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            copy[i] = Interlocked.Read(ref _counts[i]);
        }

        return copy;
    }

    /// <summary>The upper bound of bucket <paramref name="index"/>, in seconds.</summary>
    public static double UpperBound(int index) => Smallest * Math.Pow(Growth, index);

    /// <summary>The <paramref name="quantile"/> of the observations between two snapshots, in seconds; null if there were none.</summary>
    public static double? Quantile(long[] before, long[] after, double quantile)
    {
        long total = 0;
        for (var i = 0; i < Count; i++)
        {
            total += after[i] - before[i];
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < Count; i++)
        {
            seen += after[i] - before[i];
            if (seen >= rank)
            {
                return UpperBound(i);
            }
        }

        return UpperBound(Count - 1);
    }
}
