using System.Diagnostics;
using System.Globalization;
using Faas.Posix;

namespace Faas.Provider.Local.Isolation;

/// <summary>
/// One replica's control group (one directory per cgroup v1 hierarchy, one in v2), made by <see cref="ReplicaLimits"/>:
/// a process started through <see cref="Enter"/> is in it before the watchdog runs (a standby from its start, so
/// nothing is moved when it is handed its function), and everything it starts stays in it.
/// </summary>
internal sealed class ReplicaGroup(string name, IReadOnlyList<string> directories)
{
    /// <summary>The group's name, the same in every hierarchy.</summary>
    public string Name => name;

    /// <summary>How long deletion waits for the killed processes to leave the group.</summary>
    private static readonly TimeSpan EmptyingLimit = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Rewrites <paramref name="info"/> to join the group first: a shell writes its own PID into each group, then execs
    /// the program in place (exit 125, with the shell's message, if it cannot join).
    /// </summary>
    public void Enter(ProcessStartInfo info)
    {
        var command = new List<string> { "-c", "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"", "faas-limits" };
        command.AddRange(directories.Select(directory => Path.Join(directory, "cgroup.procs")));
        command.Add("--");
        command.Add(info.FileName);
        command.AddRange(info.ArgumentList);
        info.FileName = "/bin/sh";
        info.ArgumentList.Clear();
        command.ForEach(info.ArgumentList.Add);
    }

    /// <summary>
    /// Removes the group, killing whatever is still in it first: a process that left the replica's process group (a
    /// daemon the function started in a session of its own) is still in its control group. False if some remain
    /// after a while.
    /// </summary>
    public async Task<bool> DeleteAsync()
    {
        var clock = Stopwatch.StartNew();
        while (!TryDelete())
        {
            if (clock.Elapsed > EmptyingLimit)
            {
                return false;
            }

            KillMembers();
            await Task.Delay(20).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Removes the group if no process is in it.</summary>
    public bool TryDelete() => TryDelete(directories);

    /// <summary>Removes each of <paramref name="groups"/> that no process is in; false if any is left.</summary>
    public static bool TryDelete(IEnumerable<string> groups)
    {
        var deleted = true;
        foreach (var directory in groups)
        {
            try
            {
                // A control group is removed with rmdir alone; its files are the kernel's.
                Directory.Delete(directory);
            }
            catch (DirectoryNotFoundException)
            {
            }
            catch (IOException)
            {
                deleted = false;
            }
        }

        return deleted;
    }

    /// <summary>SIGKILL to every process in the group (each hierarchy holds the same ones; one already gone aside).</summary>
    private void KillMembers()
    {
        string members;
        try
        {
            members = File.ReadAllText(Path.Join(directories[0], "cgroup.procs"));
        }
        catch (IOException)
        {
            return;
        }

        foreach (var pid in members.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Signals.Send(int.Parse(pid, CultureInfo.InvariantCulture), Signals.SigKill);
        }
    }
}
