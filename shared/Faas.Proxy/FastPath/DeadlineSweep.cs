using System.Collections.Concurrent;
using System.Diagnostics;

namespace Faas.Proxy.FastPath;

/// <summary>
/// Cancels the fast-path requests past their deadline (see <see cref="ConnectionDeadline"/>): one timer for the whole
/// process that looks at every connection's deadline each <see cref="Interval"/>, and runs only while some request has
/// one, so an idle watchdog or gateway is not woken for it.
/// </summary>
internal static class DeadlineSweep
{
    /// <summary>How late past its limit a request may be cancelled at most (plus the machine's scheduling delay).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private static readonly ConcurrentDictionary<ConnectionDeadline, byte> Deadlines = new();
    private static readonly Timer Sweeper = new(static _ => Sweep(), null, Timeout.Infinite, Timeout.Infinite);
    private static int _armed;
    private static volatile bool _running;

    /// <summary>Whether the timer is running (it stops once no request has a deadline).</summary>
    internal static bool Running => _running;

    public static void Add(ConnectionDeadline deadline) => Deadlines.TryAdd(deadline, 0);

    public static void Remove(ConnectionDeadline deadline) => Deadlines.TryRemove(deadline, out _);

    public static void Armed()
    {
        if (Interlocked.Increment(ref _armed) == 1)
        {
            Start();
        }
    }

    public static void Disarmed() => Interlocked.Decrement(ref _armed);

    private static void Start()
    {
        _running = true;
        Sweeper.Change(Interval, Interval);
    }

    private static void Sweep()
    {
        if (Volatile.Read(ref _armed) == 0)
        {
            // Stopped, then checked again: a deadline armed meanwhile restarted the timer itself, or restarts it here.
            _running = false;
            Sweeper.Change(Timeout.Infinite, Timeout.Infinite);
            if (Volatile.Read(ref _armed) == 0)
            {
                return;
            }

            Start();
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var (deadline, _) in Deadlines)
        {
            deadline.ExpireIfDue(now);
        }
    }
}
