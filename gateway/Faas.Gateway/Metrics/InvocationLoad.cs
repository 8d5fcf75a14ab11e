using System.Collections.Concurrent;

namespace Faas.Gateway.Metrics;

/// <summary>
/// Per function: invocations started and in flight, as plain counters beside the exposition, so the autoscaler and
/// the admin API's <c>invocationCount</c> read numbers instead of metric objects.
/// </summary>
public sealed class InvocationLoad
{
    private readonly ConcurrentDictionary<string, Counts> _functions = new(StringComparer.Ordinal);

    /// <summary>The counts of <paramref name="function"/> (<c>name.namespace</c>), made on first use.</summary>
    public Counts For(string function) => _functions.GetOrAdd(function, static _ => new Counts());

    /// <summary>The counts of a function, or zeros if it was never invoked.</summary>
    public (long Started, long InFlight) Read(string function) =>
        _functions.TryGetValue(function, out var counts) ? (counts.Started, counts.InFlight) : (0, 0);

    public sealed class Counts
    {
        private long _started;
        private long _inFlight;

        public long Started => Interlocked.Read(ref _started);

        public long InFlight => Interlocked.Read(ref _inFlight);

        public void Start()
        {
            Interlocked.Increment(ref _started);
            Interlocked.Increment(ref _inFlight);
        }

        public void Finish() => Interlocked.Decrement(ref _inFlight);
    }
}
