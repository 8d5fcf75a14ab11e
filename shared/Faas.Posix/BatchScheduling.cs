using System.Globalization;
using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>
/// SCHED_BATCH for a proxy's own threads (sched(7)). A batch thread that is woken does not preempt the thread that
/// woke it: when a client, the gateway or a function sends to us on a busy machine, the sender keeps its core and
/// finishes its burst instead of being switched out at every send. Processes we start get the policy we were started
/// with: they are forked from a thread switched back for the moment (<see cref="ForChildren"/>).
/// </summary>
/// <remarks>
/// Switch as early as possible, before the runtime starts its thread pool: a new .NET thread is given the policy
/// glibc has cached for the thread that starts it, and for a thread switched from outside (by thread id) that cache
/// still says SCHED_OTHER. The calling thread is switched through pthreads, which keeps its cache right.
/// </remarks>
public static partial class BatchScheduling
{
    private const int SchedOther = 0;
    private const int SchedBatch = 3;

    private static volatile bool s_enabled;

    /// <summary>Whether this process's threads were switched to SCHED_BATCH.</summary>
    public static bool Enabled => s_enabled;

    /// <summary>
    /// Switches every thread of this process to SCHED_BATCH; threads started later inherit it. Only from SCHED_OTHER:
    /// a policy the operator chose (idle, real-time) is kept. False if not switched.
    /// </summary>
    public static bool TryEnable()
    {
        try
        {
            if (s_enabled || !OperatingSystem.IsLinux() || GetScheduler(0) != SchedOther || !SetCurrentThread(SchedBatch))
            {
                return false;
            }
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without these calls: the policy is an optimisation, not a requirement.
            return false;
        }

        SetAllThreads(SchedBatch);
        s_enabled = true;
        return true;
    }

    /// <summary>
    /// Until disposed, the calling thread runs SCHED_OTHER, the policy this process was started with, so a process
    /// it forks (Process.Start forks from the calling thread) starts with that policy, not ours. Dispose on the same
    /// thread, with no await in between.
    /// </summary>
    public static ChildScope ForChildren() => new(s_enabled && SetCurrentThread(SchedOther));

    /// <summary>Switches the thread back, and any thread started meanwhile (they inherited SCHED_OTHER from it).</summary>
    public readonly struct ChildScope(bool active) : IDisposable
    {
        public void Dispose()
        {
            if (active && s_enabled)
            {
                SetCurrentThread(SchedBatch);
                SetAllThreads(SchedBatch);
            }
        }
    }

    private static bool SetCurrentThread(int policy)
    {
        var parameter = 0;
        return SetSchedParam(Self(), policy, ref parameter) == 0;
    }

    private static void SetAllThreads(int policy)
    {
        // A thread may start while the others are switched (from one not yet switched): repeat until a pass finds none new.
        var parameter = 0;
        var switched = new HashSet<int>();
        bool foundNew;
        do
        {
            foundNew = false;
            foreach (var directory in Directory.EnumerateDirectories("/proc/self/task"))
            {
                var threadId = int.Parse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture);
                if (switched.Add(threadId))
                {
                    foundNew = true;
                    _ = SetScheduler(threadId, policy, ref parameter);
                }
            }
        }
        while (foundNew);
    }

    [LibraryImport("libc", EntryPoint = "sched_getscheduler")]
    private static partial int GetScheduler(int threadId);

    /// <remarks>The parameter is struct sched_param, a single int (the static priority, 0 for these policies).</remarks>
    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SetScheduler(int threadId, int policy, ref int parameter);

    [LibraryImport("libc", EntryPoint = "pthread_self")]
    private static partial nuint Self();

    [LibraryImport("libc", EntryPoint = "pthread_setschedparam")]
    private static partial int SetSchedParam(nuint thread, int policy, ref int parameter);
}
