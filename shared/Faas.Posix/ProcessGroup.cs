namespace Faas.Posix;

/// <summary>Stopping a process group, led by a process started in a session of its own (<see cref="SpawnedProcess"/>).</summary>
public static class ProcessGroup
{
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
