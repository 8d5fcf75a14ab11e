using System.Globalization;
using Faas.Posix;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// Kills replicas left behind by a provider that died without stopping them (kill -9, power cut). Each running
/// replica's PID is recorded under <c>run/INSTANCE</c>; a recorded process is killed (with its group) only if
/// its environment still carries that <c>FAAS_REPLICA_ID</c>, so a reused PID is never touched.
/// </summary>
internal static class OrphanReaper
{
    public static int KillLeftovers(string runDirectory)
    {
        if (!Directory.Exists(runDirectory))
        {
            return 0;
        }

        var killed = 0;
        foreach (var file in Directory.EnumerateFiles(runDirectory))
        {
            var instance = Path.GetFileName(file);
            if (int.TryParse(File.ReadAllText(file), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsReplica(pid, instance))
            {
                Signals.SendToGroup(pid, Signals.SigKill);
                killed++;
            }

            File.Delete(file);
        }

        return killed;
    }

    private static bool IsReplica(int pid, string instance)
    {
        try
        {
            var environment = File.ReadAllText($"/proc/{pid}/environ");
            return environment.Split('\0').Contains($"FAAS_REPLICA_ID={instance}");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
