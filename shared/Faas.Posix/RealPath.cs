using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>realpath(3): the path with every symlink resolved, to check a file is really inside a root.</summary>
public static partial class RealPath
{
    private const int PathMax = 4096;

    public static unsafe string? Resolve(string path)
    {
        var buffer = stackalloc byte[PathMax];
        return Native(path, buffer) == IntPtr.Zero ? null : Marshal.PtrToStringUTF8((IntPtr)buffer);
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial IntPtr Native(string path, byte* resolved);
}
