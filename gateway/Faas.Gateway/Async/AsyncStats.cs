using System.Collections.Concurrent;
using Faas.Provider;

namespace Faas.Gateway.Async;

/// <summary>
/// What the queue worker did per function since the gateway started: calls running now, retries scheduled, calls
/// dead-lettered, calls finished. The dashboard shows them beside the queue's depth and its stored dead letters.
/// </summary>
internal sealed class AsyncStats
{
    private readonly ConcurrentDictionary<FunctionKey, Counts> _functions = new();

    public Counts For(FunctionKey function) => _functions.GetOrAdd(function, static _ => new Counts());

    public Counts? Find(FunctionKey function) => _functions.GetValueOrDefault(function);

    internal sealed class Counts
    {
        private long _inFlight;
        private long _retries;
        private long _deadLetters;
        private long _completed;

        public long InFlight => Interlocked.Read(ref _inFlight);

        public long Retries => Interlocked.Read(ref _retries);

        public long DeadLetters => Interlocked.Read(ref _deadLetters);

        public long Completed => Interlocked.Read(ref _completed);

        public void Started() => Interlocked.Increment(ref _inFlight);

        public void Stopped() => Interlocked.Decrement(ref _inFlight);

        public void Retried() => Interlocked.Increment(ref _retries);

        public void DeadLettered() => Interlocked.Increment(ref _deadLetters);

        public void Finished() => Interlocked.Increment(ref _completed);
    }
}
