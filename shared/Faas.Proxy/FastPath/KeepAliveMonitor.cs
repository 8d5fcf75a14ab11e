using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Faas.Proxy.FastPath;

/// <summary>
/// Closes fast-path connections left idle between requests for longer than Kestrel's keep-alive timeout. Kestrel's own
/// heartbeat watches only the connections it parses; this is the same once-a-second sweep for the ones the fast path
/// keeps, so a request pays a timestamp, not a timer.
/// </summary>
public sealed class KeepAliveMonitor : IDisposable
{
    private readonly ConcurrentDictionary<Entry, byte> _entries = new();
    private readonly long _timeout;
    private readonly Timer _sweeper;

    public KeepAliveMonitor(TimeSpan timeout)
    {
        _timeout = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _sweeper = new Timer(static monitor => ((KeepAliveMonitor)monitor!).Sweep(Stopwatch.GetTimestamp()), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Watches a connection until the entry is disposed; a timed-out connection's pending read returns cancelled.</summary>
    public Entry Track(PipeReader input)
    {
        var entry = new Entry(this, input);
        _entries.TryAdd(entry, 0);
        return entry;
    }

    /// <summary>Cancels the pending read of every connection idle since before <paramref name="now"/> minus the timeout.</summary>
    internal void Sweep(long now)
    {
        foreach (var entry in _entries.Keys)
        {
            var idleSince = Volatile.Read(ref entry.IdleSince);
            if (idleSince != 0 && now - idleSince > _timeout)
            {
                entry.TimedOut = true;
                entry.Input.CancelPendingRead();
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();

    public sealed class Entry(KeepAliveMonitor monitor, PipeReader input) : IDisposable
    {
        /// <summary>When the connection began waiting for its next request; 0 while it serves one.</summary>
        internal long IdleSince;

        internal PipeReader Input { get; } = input;

        /// <summary>True once the sweep has closed the connection for idling.</summary>
        public bool TimedOut { get; internal set; }

        public void Idle() => Volatile.Write(ref IdleSince, Stopwatch.GetTimestamp());

        public void Busy() => Volatile.Write(ref IdleSince, 0);

        public void Dispose() => monitor._entries.TryRemove(this, out _);
    }
}
