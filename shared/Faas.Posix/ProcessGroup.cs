using System.Diagnostics;

namespace Faas.Posix;

/// <summary>
/// Starting a process as the leader of a new process group (and session) via setsid(1), which execs in
/// place so the PID is the child's own; signalling the group then reaches everything it started.
/// </summary>
public static class ProcessGroup
{
    public static string? SetsidPath { get; } = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>Rewrites <paramref name="info"/> to run its program under setsid; false if setsid is missing (the process then stays in our group).</summary>
    public static bool UseNewGroup(ProcessStartInfo info)
    {
        if (!string.IsNullOrEmpty(info.Arguments))
        {
            throw new ArgumentException("give the arguments in ArgumentList, not Arguments", nameof(info));
        }

        if (SetsidPath is null)
        {
            return false;
        }

        info.ArgumentList.Insert(0, info.FileName);
        info.FileName = SetsidPath;
        return true;
    }

    /// <summary>
    /// <paramref name="signal"/> (SIGTERM unless said) to the group led by <paramref name="leaderPid"/> (or to one process
    /// of it), then SIGKILL to the group once the leader has exited (whatever it left behind goes too) or
    /// <paramref name="grace"/> has passed.
    /// </summary>
    /// <param name="leaderExited">Completes when the leader has exited (and been reaped).</param>
    /// <param name="terminate">
    /// The one process to send SIGTERM, for a process that stops its own children (a watchdog draining its requests): a
    /// group-wide SIGTERM could hit a child it has just forked, before that child moves to a group of its own.
    /// </param>
    public static async Task TerminateAsync(int leaderPid, Task leaderExited, TimeSpan grace, int? terminate = null, int signal = Signals.SigTerm)
    {
        if (!leaderExited.IsCompleted)
        {
            _ = terminate is { } pid ? Signals.Send(pid, signal) : Signals.SendToGroup(leaderPid, signal);
            await Task.WhenAny(leaderExited, Task.Delay(grace)).ConfigureAwait(false);
        }

        Signals.SendToGroup(leaderPid, Signals.SigKill);
        await leaderExited.ConfigureAwait(false);
    }
}
