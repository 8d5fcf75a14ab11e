using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Faas.Posix;

/// <summary>posix_spawn(3), pipe2(2) and waitpid(2) for <see cref="SpawnedProcess"/>.</summary>
internal static unsafe partial class PosixSpawn
{
    private const int CloseOnExecPipe = 0x80000;
    private const short SetSignalMask = 0x08;
    private const short SetSession = 0x80;
    private const int Interrupted = 4;

    // Opaque C types, allocated here: larger than glibc's (posix_spawnattr_t 336 bytes, posix_spawn_file_actions_t 80,
    // sigset_t 128 on 64-bit Linux) and musl's.
    private const int AttributesSize = 512;
    private const int FileActionsSize = 256;
    private const int SignalSetSize = 256;

    public static (SafePipeHandle Read, SafePipeHandle Write) CreatePipe()
    {
        var descriptors = stackalloc int[2];
        if (Pipe2(descriptors, CloseOnExecPipe) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"cannot create a pipe: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return (new SafePipeHandle(descriptors[0], ownsHandle: true), new SafePipeHandle(descriptors[1], ownsHandle: true));
    }

    /// <param name="descriptors">The child's descriptors from 0 on: its stdin, stdout, stderr, then any more.</param>
    /// <returns>The child's PID.</returns>
    public static int Start(string path, IReadOnlyList<string> arguments, IReadOnlyList<string> environment, bool newSession, string? workingDirectory, IReadOnlyList<SafeHandle> descriptors)
    {
        // Each is copied to its place in turn: one numbered among the places would be overwritten before it is copied.
        if (descriptors.Select(Descriptor).Where(descriptor => descriptor < descriptors.Count).Select(descriptor => (int?)descriptor).FirstOrDefault() is { } low)
        {
            throw new InvalidOperationException($"descriptor {low} is among the child's first {descriptors.Count}: this process must be started with its standard streams open");
        }

        var attributes = stackalloc byte[AttributesSize];
        var actions = stackalloc byte[FileActionsSize];
        var signals = stackalloc byte[SignalSetSize];
        Check(AttributesInit(attributes), "posix_spawnattr_init");
        Check(FileActionsInit(actions), "posix_spawn_file_actions_init");
        byte** argv = null;
        byte** envp = null;
        try
        {
            argv = NullTerminated(arguments);
            envp = NullTerminated(environment);
            // The child starts with no signal blocked, whatever the mask of the thread that starts it.
            Check(SignalSetEmpty(signals) == 0 ? 0 : Marshal.GetLastPInvokeError(), "sigemptyset");
            Check(AttributesSetSignalMask(attributes, signals), "posix_spawnattr_setsigmask");
            Check(AttributesSetFlags(attributes, (short)(SetSignalMask | (newSession ? SetSession : 0))), "posix_spawnattr_setflags");
            for (var target = 0; target < descriptors.Count; target++)
            {
                Check(FileActionsAddDup2(actions, Descriptor(descriptors[target]), target), "posix_spawn_file_actions_adddup2");
            }

            if (!string.IsNullOrEmpty(workingDirectory))
            {
                Check(FileActionsAddChdir(actions, workingDirectory), "posix_spawn_file_actions_addchdir_np");
            }

            var result = Spawn(out var pid, path, actions, attributes, argv, envp);
            if (result != 0)
            {
                throw new Win32Exception(result, $"cannot start {path}: {Marshal.GetPInvokeErrorMessage(result)}");
            }

            return pid;
        }
        finally
        {
            NativeMemory.Free(argv);
            NativeMemory.Free(envp);
            _ = FileActionsDestroy(actions);
            _ = AttributesDestroy(attributes);
        }
    }

    /// <summary>Blocks until <paramref name="pid"/> has exited and reaps it.</summary>
    /// <returns>Its exit status, or 128 + the signal that ended it (as a shell reports it); -1 if another waiter reaped it.</returns>
    public static int WaitForExit(int pid)
    {
        int status;
        while (WaitPid(pid, &status, 0) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                return -1;
            }
        }

        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    private static int Descriptor(SafeHandle handle) => (int)handle.DangerousGetHandle();

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new Win32Exception(result, $"{call} failed: {Marshal.GetPInvokeErrorMessage(result)}");
        }
    }

    /// <summary>A C array of UTF-8 strings ending in NULL, the strings in the same block (one NativeMemory.Free).</summary>
    private static byte** NullTerminated(IReadOnlyList<string> values)
    {
        var pointersSize = (values.Count + 1) * sizeof(byte*);
        var size = pointersSize;
        foreach (var value in values)
        {
            size += Encoding.UTF8.GetByteCount(value) + 1;
        }

        var block = (byte*)NativeMemory.Alloc((nuint)size);
        var pointers = (byte**)block;
        var next = block + pointersSize;
        for (var index = 0; index < values.Count; index++)
        {
            pointers[index] = next;
            var written = Encoding.UTF8.GetBytes(values[index], new Span<byte>(next, size - (int)(next - block)));
            next[written] = 0;
            next += written + 1;
        }

        pointers[values.Count] = null;
        return pointers;
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* descriptors, int flags);

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Spawn(out int pid, string path, void* actions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttributesInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttributesDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttributesSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttributesSetSignalMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(void* actions, int descriptor, int target);

    /// <remarks>glibc 2.29 and musl 1.1.24 have it; a failed chdir fails the spawn, as a failed exec does.</remarks>
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileActionsAddChdir(void* actions, string path);

    [LibraryImport("libc", EntryPoint = "sigemptyset", SetLastError = true)]
    private static partial int SignalSetEmpty(void* signals);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, int* status, int options);
}
