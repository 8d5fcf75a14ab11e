using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>
/// Reaps the children <see cref="SpawnedProcess"/> starts, all on one thread: a child's pidfd (pidfd_open(2), Linux
/// 5.3) becomes readable when it exits, and the thread polls them all, then waitpid(2)s that PID alone (.NET reaps
/// only the children its Process started, so nothing is taken from it). A thread per child, blocked in waitpid, cost
/// its start on every spawn: .NET's Thread.Start waits until the new thread runs, 1.8 ms (median) of a replica's cold
/// start on a busy 2-core host, and one thread more per request of a fork-mode function. Where pidfds cannot be had
/// (an older kernel, a seccomp filter), a child still gets a thread of its own.
/// </summary>
internal static unsafe partial class ChildReaper
{
    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;
    private const short Readable = 0x1;
    private const long PidFdOpenCall = 434;

    private static readonly Lock s_lock = new();
    private static readonly List<Child> s_added = [];
    private static int s_wakeRead = -1;
    private static int s_wakeWrite = -1;

    /// <summary>Completes <paramref name="exited"/> with <paramref name="pid"/>'s exit code (see <see cref="PosixSpawn.WaitForExit"/>) once it has exited.</summary>
    public static void Watch(int pid, TaskCompletionSource<int> exited)
    {
        var pidFd = (int)PidFdOpen(PidFdOpenCall, pid, 0);
        if (pidFd < 0 || !TryStart())
        {
            if (pidFd >= 0)
            {
                _ = Close(pidFd);
            }

            WatchOnThreadOfItsOwn(pid, exited);
            return;
        }

        lock (s_lock)
        {
            s_added.Add(new Child(pid, pidFd, exited));
        }

        byte wake = 1;
        _ = Write(s_wakeWrite, &wake, 1);
    }

    private static void WatchOnThreadOfItsOwn(int pid, TaskCompletionSource<int> exited) =>
        new Thread(() => exited.SetResult(PosixSpawn.WaitForExit(pid)), maxStackSize: 64 * 1024) { IsBackground = true, Name = "reaper" }.UnsafeStart();

    /// <summary>Starts the reaping thread and its wake-up pipe the first time; false if the pipe cannot be made.</summary>
    private static bool TryStart()
    {
        lock (s_lock)
        {
            if (s_wakeWrite >= 0)
            {
                return true;
            }

            var pipe = stackalloc int[2];
            if (Pipe2(pipe, CloseOnExec | NonBlocking) != 0)
            {
                return false;
            }

            (s_wakeRead, s_wakeWrite) = (pipe[0], pipe[1]);
            new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "reaper" }.UnsafeStart();
            return true;
        }
    }

    private static void Run()
    {
        var watched = new List<Child>();
        // On the pinned object heap: the array is pinned while poll blocks, for good when no child exits, and pinned
        // in the ordinary heap it kept a 3 MB region of the gateway's heap from being returned (idle RSS).
        var polled = GC.AllocateArray<PollEntry>(16, pinned: true);
        var drain = stackalloc byte[64];
        while (true)
        {
            lock (s_lock)
            {
                watched.AddRange(s_added);
                s_added.Clear();
            }

            if (polled.Length < watched.Count + 1)
            {
                polled = GC.AllocateArray<PollEntry>((watched.Count + 1) * 2, pinned: true);
            }

            polled[0] = new PollEntry { Descriptor = s_wakeRead, Events = Readable };
            for (var index = 0; index < watched.Count; index++)
            {
                polled[index + 1] = new PollEntry { Descriptor = watched[index].PidFd, Events = Readable };
            }

            int ready;
            fixed (PollEntry* entries = polled)
            {
                ready = Poll(entries, (nuint)(watched.Count + 1), -1);
            }

            if (ready < 0)
            {
                // EINTR (a signal) or ENOMEM: poll again; the descriptors are ours and open, so nothing else is expected.
                continue;
            }

            if (polled[0].ReturnedEvents != 0)
            {
                while (Read(s_wakeRead, drain, 64) > 0)
                {
                }
            }

            for (var index = watched.Count - 1; index >= 0; index--)
            {
                if (polled[index + 1].ReturnedEvents != 0)
                {
                    var child = watched[index];
                    watched.RemoveAt(index);
                    var exitCode = PosixSpawn.WaitForExit(child.Pid);
                    _ = Close(child.PidFd);
                    child.Exited.SetResult(exitCode);
                }
            }
        }
    }

    private sealed record Child(int Pid, int PidFd, TaskCompletionSource<int> Exited);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollEntry
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    /// <remarks>Through syscall(2): glibc has a pidfd_open wrapper only since 2.36, and a direct call would not link before it.</remarks>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long PidFdOpen(long call, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* descriptors, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollEntry* entries, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
