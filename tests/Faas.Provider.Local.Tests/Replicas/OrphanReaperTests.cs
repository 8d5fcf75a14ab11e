using System.Diagnostics;
using Faas.Posix;
using Faas.Provider.Local.Replicas;

namespace Faas.Provider.Local.Tests.Replicas;

public class OrphanReaperTests
{
    [Fact]
    public async Task Leftover_replicas_are_killed_and_unrelated_processes_are_not()
    {
        using var run = new TempDirectory();
        using var orphan = StartSleeper(("FAAS_REPLICA_ID", "orphan-1234"));
        using var stranger = StartSleeper();
        Assert.True(await ProcessTable.EventuallyAsync(() => IsRunningSleep(orphan) && IsRunningSleep(stranger), TimeSpan.FromSeconds(5)));
        await File.WriteAllTextAsync(Path.Combine(run.Path, "orphan-1234"), orphan.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(Path.Combine(run.Path, "reused-pid"), stranger.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var killed = OrphanReaper.KillLeftovers(run.Path);

        Assert.Equal(1, killed);
        Assert.True(await ProcessTable.EventuallyAsync(() => orphan.Exited.IsCompleted, TimeSpan.FromSeconds(5)));
        Assert.False(stranger.Exited.IsCompleted);
        Assert.Empty(Directory.EnumerateFiles(run.Path));
        Signals.Send(stranger.Id, Signals.SigKill);
    }

    /// <summary>Past the exec: before it, /proc shows the parent's environment, not the one a leftover replica has.</summary>
    private static bool IsRunningSleep(SpawnedProcess process) =>
        File.ReadAllText($"/proc/{process.Id}/cmdline").StartsWith("/bin/sleep", StringComparison.Ordinal);

    /// <summary>In a session of its own, as a replica is: the reaper signals the whole group.</summary>
    private static SpawnedProcess StartSleeper(params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("/bin/sleep") { ArgumentList = { "60" } };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return SpawnedProcess.Start(info, newSession: true);
    }
}
