using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>
/// Leaves root for good inside this process, as setpriv(1) <c>--reuid --regid --clear-groups</c> does before it
/// execs: no supplementary groups, then the group, then the user, each real, effective and saved. glibc (and musl)
/// apply each call to every thread of the process. Leaving uid 0 clears the permitted, effective and ambient
/// capabilities (capabilities(7)); that is checked, not assumed, as is that root cannot be taken back.
/// </summary>
public static partial class ProcessUser
{
    /// <exception cref="InvalidOperationException">A step failed or its result is not as asked: the process must not go on.</exception>
    public static void SwitchTo(int uid, int gid)
    {
        if (uid <= 0 || gid <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(uid), $"{uid}:{gid} is not an unprivileged user");
        }

        Call(SetGroups(0, IntPtr.Zero), "setgroups(0)");
        Call(SetResGid(gid, gid, gid), $"setresgid({gid})");
        Call(SetResUid(uid, uid, uid), $"setresuid({uid})");
        Check(GetResUid(out var realUid, out var effectiveUid, out var savedUid) == 0 && (realUid, effectiveUid, savedUid) == (uid, uid, uid), $"the user is {realUid}/{effectiveUid}/{savedUid}, not {uid}");
        Check(GetResGid(out var realGid, out var effectiveGid, out var savedGid) == 0 && (realGid, effectiveGid, savedGid) == (gid, gid, gid), $"the group is {realGid}/{effectiveGid}/{savedGid}, not {gid}");
        Check(GetGroups(0, IntPtr.Zero) == 0, "supplementary groups remain");
        Check(SetResUid(0, 0, 0) != 0, "root could be taken back");
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Cap", StringComparison.Ordinal) && !line.StartsWith("CapBnd:", StringComparison.Ordinal))
            {
                Check(line.EndsWith(":\t0000000000000000", StringComparison.Ordinal), $"capabilities remain ({line})");
            }
        }
    }

    private static void Call(int result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"cannot leave root: {call} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"cannot leave root: {what}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    private static partial int SetGroups(nint size, IntPtr list);

    [LibraryImport("libc", EntryPoint = "getgroups", SetLastError = true)]
    private static partial int GetGroups(int size, IntPtr list);

    [LibraryImport("libc", EntryPoint = "setresgid", SetLastError = true)]
    private static partial int SetResGid(int real, int effective, int saved);

    [LibraryImport("libc", EntryPoint = "setresuid", SetLastError = true)]
    private static partial int SetResUid(int real, int effective, int saved);

    [LibraryImport("libc", EntryPoint = "getresuid", SetLastError = true)]
    private static partial int GetResUid(out int real, out int effective, out int saved);

    [LibraryImport("libc", EntryPoint = "getresgid", SetLastError = true)]
    private static partial int GetResGid(out int real, out int effective, out int saved);
}
