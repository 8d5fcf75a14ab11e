using Faas.Gateway.Metrics;

namespace Faas.Gateway.Tests.Metrics;

public class LatencyBucketsTests
{
    [Fact]
    public void Quantiles_between_two_snapshots_are_within_a_bucket_of_the_truth()
    {
        var buckets = new LatencyBuckets();
        buckets.Observe(5);
        var before = buckets.Snapshot();
        for (var i = 1; i <= 100; i++)
        {
            buckets.Observe(i / 1000.0);
        }

        var after = buckets.Snapshot();
        var p50 = LatencyBuckets.Quantile(before, after, 0.5)!.Value;
        var p99 = LatencyBuckets.Quantile(before, after, 0.99)!.Value;
        Assert.InRange(p50, 0.050, 0.050 * 1.2);
        Assert.InRange(p99, 0.099, 0.099 * 1.2);
        Assert.Null(LatencyBuckets.Quantile(after, after, 0.5));
    }

    [Fact]
    public void Tiny_and_huge_durations_land_in_the_end_buckets()
    {
        var buckets = new LatencyBuckets();
        var empty = buckets.Snapshot();
        buckets.Observe(0);
        buckets.Observe(1e6);
        var after = buckets.Snapshot();
        Assert.Equal(LatencyBuckets.UpperBound(0), LatencyBuckets.Quantile(empty, after, 0.01));
        Assert.Equal(LatencyBuckets.UpperBound(LatencyBuckets.Count - 1), LatencyBuckets.Quantile(empty, after, 1));
    }
}
