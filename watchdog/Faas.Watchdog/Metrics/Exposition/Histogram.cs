using System.Text;

namespace Faas.Watchdog.Metrics.Exposition;

/// <summary>A histogram family with fixed upper bounds (Prometheus' default buckets unless given).</summary>
internal sealed class Histogram : Metric<Histogram.Child>
{
    public static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _upperBounds;

    public Histogram(string name, string help, string[] labelNames, double[]? upperBounds = null)
        : base(name, help, labelNames)
    {
        _upperBounds = upperBounds ?? DefaultBuckets;
        for (var i = 1; i < _upperBounds.Length; i++)
        {
            if (_upperBounds[i] <= _upperBounds[i - 1])
            {
                throw new ArgumentException($"histogram {name}: bucket bounds must increase", nameof(upperBounds));
            }
        }
    }

    protected override string TypeName => "histogram";

    protected override Child CreateChild() => new(_upperBounds);

    protected override void WriteChild(StringBuilder output, string labels, Child child)
    {
        var separator = labels.Length == 0 ? "" : ",";
        long cumulative = 0;
        for (var i = 0; i < _upperBounds.Length; i++)
        {
            cumulative += child.BucketCount(i);
            var le = labels + separator + "le=\"" + TextFormat.FormatValue(_upperBounds[i]) + "\"";
            TextFormat.AppendSample(output, Name + "_bucket", le, cumulative);
        }

        var count = child.Count;
        TextFormat.AppendSample(output, Name + "_bucket", labels + separator + "le=\"+Inf\"", count);
        TextFormat.AppendSample(output, Name + "_sum", labels, child.Sum);
        TextFormat.AppendSample(output, Name + "_count", labels, count);
    }

    public sealed class Child
    {
        private readonly double[] _upperBounds;
        private readonly long[] _buckets;
        private readonly AtomicDouble _sum = new();
        private long _count;

        internal Child(double[] upperBounds)
        {
            _upperBounds = upperBounds;
            _buckets = new long[upperBounds.Length];
        }

        public long Count => Interlocked.Read(ref _count);

        public double Sum => _sum.Value;

        internal long BucketCount(int index) => Interlocked.Read(ref _buckets[index]);

        public void Observe(double value)
        {
            var index = Array.BinarySearch(_upperBounds, value);
            if (index < 0)
            {
                index = ~index;
            }

            if (index < _buckets.Length)
            {
                Interlocked.Increment(ref _buckets[index]);
            }

            _sum.Add(value);
            Interlocked.Increment(ref _count);
        }
    }
}
