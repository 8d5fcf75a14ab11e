using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>link(2), which .NET does not expose: a second name for a file, without copying it.</summary>
public static partial class HardLink
{
    /// <summary>False where the file system refuses (another device, no hard links).</summary>
    public static bool TryCreate(string existing, string link) => Link(existing, link) == 0;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string link);
}
