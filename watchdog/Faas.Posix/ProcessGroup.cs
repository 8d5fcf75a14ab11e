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
        if (SetsidPath is null)
        {
            return false;
        }

        info.ArgumentList.Insert(0, info.FileName);
        info.FileName = SetsidPath;
        return true;
    }

    /// <summary>SIGTERM to the group, then SIGKILL to it if the leader has not exited within <paramref name="grace"/>.</summary>
    public static async Task TerminateAsync(Process leader, TimeSpan grace)
    {
        if (leader.HasExited)
        {
            Signals.SendToGroup(leader.Id, Signals.SigKill);
            return;
        }

        Signals.SendToGroup(leader.Id, Signals.SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await leader.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Whatever the leader left behind in its group goes too.
        Signals.SendToGroup(leader.Id, Signals.SigKill);
        await leader.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
