using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>geteuid(2) and chown(2), which .NET does not expose: who we run as, and handing a file to another user.</summary>
public static partial class FileOwner
{
    public static bool IsRoot => GetEffectiveUserId() == 0;

    /// <summary>Gives <paramref name="path"/> (not following a final symlink) to <paramref name="uid"/>:<paramref name="gid"/>.</summary>
    public static void Change(string path, int uid, int gid)
    {
        if (LChown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {uid}:{gid} {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, int uid, int gid);
}
