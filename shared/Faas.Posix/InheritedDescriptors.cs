using System.Globalization;
using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>
/// Keeps the descriptors a process inherited from the processes it starts. .NET opens each descriptor of its own
/// close-on-exec, but one that the parent left open without that flag (a shell's redirection, a supervisor's pipe, a
/// test host's) passes on through every exec: from the gateway through bubblewrap into each replica, where the watchdog
/// shares its sandbox with the function, and from a watchdog into its function. Marked close-on-exec, they stay usable
/// by this process and reach no child.
/// </summary>
public static partial class InheritedDescriptors
{
    private const uint FirstBeyondStandardStreams = 3;
    private const int CloseRangeCloseOnExec = 1 << 2;
    private const int GetDescriptorFlags = 1;
    private const int SetDescriptorFlags = 2;
    private const int CloseOnExec = 1;

    /// <summary>Marks every descriptor above the standard streams close-on-exec.</summary>
    /// <returns>Null when done, else why not (for the caller's start-up warning).</returns>
    public static string? KeepFromChildren()
    {
        // One call on Linux 5.11 and later with glibc 2.34; older systems (a function image's glibc) list /proc.
        try
        {
            if (CloseRange(FirstBeyondStandardStreams, uint.MaxValue, CloseRangeCloseOnExec) == 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
        }

        return MarkListed("/proc/self/fd");
    }

    /// <summary>The fallback: marks each descriptor above the standard streams that <paramref name="directory"/> lists.</summary>
    internal static string? MarkListed(string directory)
    {
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return $"{directory} cannot be listed ({error.Message})";
        }

        foreach (var entry in entries)
        {
            // The listing's own descriptor is gone by now; fcntl fails on it harmlessly.
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var descriptor)
                && descriptor >= FirstBeyondStandardStreams && Fcntl(descriptor, GetDescriptorFlags, 0) is var flags and >= 0
                && (flags & CloseOnExec) == 0)
            {
                Fcntl(descriptor, SetDescriptorFlags, flags | CloseOnExec);
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "close_range", SetLastError = true)]
    private static partial int CloseRange(uint first, uint last, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command, int argument);
}
