using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>kill(2), including to whole process groups, and signal(2) to give a signal its default action back.</summary>
public static partial class Signals
{
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process in the group led by <paramref name="leaderPid"/>.</summary>
    public static bool SendToGroup(int leaderPid, int signal) => leaderPid > 0 && Kill(-leaderPid, signal) == 0;

    public static bool Send(int pid, int signal) => pid > 0 && Kill(pid, signal) == 0;

    /// <summary>Gives <paramref name="signal"/> its default action again, such as one a parent left ignored.</summary>
    public static void RestoreDefaultAction(int signal) => SetAction(signal, DefaultAction);

    private const nint DefaultAction = 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint SetAction(int signal, nint action);
}
