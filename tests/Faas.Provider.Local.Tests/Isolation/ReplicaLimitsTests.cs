using Faas.Testing;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Tests.Isolation;

/// <summary>
/// A function's limits hold its local replicas as a container's hold it: memory past the limit is killed, CPU past it
/// throttled, a replica's processes capped (a pids limit), whether the replica started fresh or from a standby, and
/// nothing of its control group is left after.
/// </summary>
public class ReplicaLimitsTests
{
    /// <summary>Touches 200 MB, then says so.</summary>
    private const string Hungry = "python3 -c \"b = b'x' * (200 << 20); print('allocated', len(b) >> 20)\"";

    /// <summary>Keeps a core busy for a second of wall time, then prints the CPU seconds it got.</summary>
    private const string Busy = "python3 -c \"import time\nstart = time.monotonic()\nwhile time.monotonic() - start < 1: pass\nprint(round(time.process_time(), 3))\"";

    /// <summary>
    /// Forks children that sleep (their output closed, so the answer does not wait for them), up to 300 or until a fork
    /// fails; then ends half of them, so that its watchdog has room to answer again, and prints how many it started.
    /// </summary>
    private const string ForkBomb = "python3 -c \"import os, time\nchildren = []\nfor _ in range(300):\n    try:\n        pid = os.fork()\n    except OSError:\n        break\n"
        + "    if pid == 0:\n        os.closerange(0, 3)\n        time.sleep(60)\n        os._exit(0)\n    children.append(pid)\nfor pid in children[::2]:\n    os.kill(pid, 9)\n    os.waitpid(pid, 0)\nprint(len(children))\"";

    [LimitsTheory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_function_that_forks_without_end_is_held_to_its_replicas_pids_limit_and_other_functions_still_start(int standbys)
    {
        await using var fixture = await LocalProviderFixture.StartAsync(standbys, configure: options => options.PidsLimit = 64);
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("forker", ForkBomb), CancellationToken.None);
        var forker = (await fixture.WaitForReadyAsync("forker", 1))[0];

        var started = await ForkAsync(fixture, forker);
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("bystander", "cat"), CancellationToken.None);
        var bystander = (await fixture.WaitForReadyAsync("bystander", 1))[0];
        var echoed = await LocalProviderFixture.InvokeAsync(bystander, "still here");
        var (group, tasks) = PidsGroupOf(ForkedChildren()[0]);
        var (limit, inAll) = (File.ReadAllText(Path.Join(group, "pids.max")).Trim(), File.ReadAllText(Path.Join(Path.GetDirectoryName(group)!, "pids.max")).Trim());

        // The watchdog's threads and the sandbox take a share of the 64, so fewer children than that fit.
        Assert.InRange(started, 1, 63);
        Assert.Equal("64", limit);
        Assert.Equal((HostPids() / 2).ToString(System.Globalization.CultureInfo.InvariantCulture), inAll);
        Assert.Equal("still here", echoed);

        await fixture.Provider.DeleteAsync("forker", "openfaas-fn", CancellationToken.None);
        Assert.True(await ProcessTable.EventuallyAsync(() => !Directory.Exists(group), TimeSpan.FromSeconds(10)), $"{group} is still there, with {tasks} tasks at the limit");
        Assert.Empty(ForkedChildren());
    }

    [Fact]
    public async Task A_negative_pids_limit_is_a_start_up_failure_that_names_the_setting()
    {
        using var state = new TempDirectory("faas-pids-");
        var options = LocalProviderFixture.OptionsFor(state.Path);
        options.PidsLimit = -1;

        var error = await Assert.ThrowsAsync<ProviderStartException>(() => LocalProvider.StartAsync(options));

        Assert.Contains("Gateway:Local:PidsLimit is -1", error.Message);
    }

    [LimitsFact]
    public async Task A_daemon_a_function_left_running_goes_with_its_replica_outside_a_sandbox()
    {
        // Without bubblewrap no PID namespace ends with the replica, and a daemon in a session of its own is out of
        // reach of the watchdog's process-group kill: only the replica's control group still holds it.
        await using var fixture = await LocalProviderFixture.StartAsync(sandbox: false);
        var mark = Guid.NewGuid().ToString("N");
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("daemonizer", "sh -c \"setsid sleep 300 </dev/null >/dev/null 2>&1 & echo started\"", new() { ["DAEMON_MARK"] = mark }), CancellationToken.None);
        var ready = (await fixture.WaitForReadyAsync("daemonizer", 1))[0];

        var answered = await LocalProviderFixture.InvokeAsync(ready);
        // The watchdog has the function's variables too: the daemon is the one running sleep.
        IReadOnlyList<int> Daemons() => [.. ProcessTable.WithEnvironment("DAEMON_MARK", mark).Where(pid => ProcessTable.Executable(pid)?.EndsWith("/sleep", StringComparison.Ordinal) == true)];
        Assert.True(await ProcessTable.EventuallyAsync(() => Daemons().Count == 1, TimeSpan.FromSeconds(5)), "the daemon did not start");
        var daemon = Daemons()[0];
        await fixture.Provider.ScaleAsync(new() { ServiceName = "daemonizer", Replicas = 0 }, CancellationToken.None);
        await fixture.WaitForReadyAsync("daemonizer", 0);

        Assert.Equal("started\n", answered);
        Assert.True(await ProcessTable.EventuallyAsync(() => !ProcessTable.IsAlive(daemon), TimeSpan.FromSeconds(5)), $"the daemon {daemon} outlived its replica");
    }

    [LimitsTheory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_function_past_its_memory_limit_is_killed_and_one_without_a_limit_is_not(int standbys)
    {
        await using var fixture = await LocalProviderFixture.StartAsync(standbys);
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("hungry", Hungry) with { Limits = new FunctionResources { Memory = "64Mi" } }, CancellationToken.None);
        var limited = (await fixture.WaitForReadyAsync("hungry", 1))[0];
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("unlimited", Hungry), CancellationToken.None);
        var unlimited = (await fixture.WaitForReadyAsync("unlimited", 1))[0];

        using var killed = await TestHttp.Client.PostAsync($"http://{limited.Host}:{limited.Port}/", new StringContent(""));
        var answered = await LocalProviderFixture.InvokeAsync(unlimited);

        Assert.Equal("allocated 200\n", answered);
        Assert.Equal(500, (int)killed.StatusCode);
        Assert.DoesNotContain("allocated", await killed.Content.ReadAsStringAsync());
    }

    [LimitsFact]
    public async Task A_function_past_its_cpu_limit_is_throttled()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("busy", Busy) with { Limits = new FunctionResources { Cpu = "100m" } }, CancellationToken.None);
        var ready = (await fixture.WaitForReadyAsync("busy", 1))[0];

        var cpuSeconds = double.Parse(await LocalProviderFixture.InvokeAsync(ready), System.Globalization.CultureInfo.InvariantCulture);

        // A tenth of a core for a second, and its start-up: far from the whole core it asked for.
        Assert.InRange(cpuSeconds, 0, 0.4);
    }

    /// <summary>
    /// On cgroup v1 a memory limit below what a standby's watchdog already holds (0.8 MB of its own memory here) is
    /// refused. Such a standby was killed, failing the start, and its pipes stayed open here. It is now let go (never
    /// handed the function, which would run without its limit), and the replica starts from scratch in a group that
    /// takes the limit before anything runs: here the kernel ends it at once, as it would a container.
    /// </summary>
    [LimitsFact]
    public async Task A_standby_that_cannot_take_the_functions_memory_limit_is_let_go_and_the_replica_starts_from_scratch()
    {
        await using var fixture = await LocalProviderFixture.StartAsync(standbys: 1);
        Assert.True(await ProcessTable.EventuallyAsync(() => fixture.AllProcesses().Count == 1, TimeSpan.FromSeconds(10)), "no standby was started");
        var standby = Assert.Single(fixture.AllProcesses());
        var pipes = ProcessTable.StandardStreamPipes(standby).ToHashSet();

        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("tight", "cat") with { Limits = new FunctionResources { Memory = "512Ki" } }, CancellationToken.None);

        string? lastExit = null;
        Assert.True(await ProcessTable.EventuallyAsync(async () => (lastExit = (await fixture.Provider.GetAsync("tight", "openfaas-fn", CancellationToken.None)).LastExit) is not null, TimeSpan.FromSeconds(10)), "no replica of the function ended");
        Assert.StartsWith("exited with code 137", lastExit);
        Assert.True(await ProcessTable.EventuallyAsync(() => !ProcessTable.IsAlive(standby), TimeSpan.FromSeconds(5)), $"the standby {standby} was not stopped");
        Assert.True(await ProcessTable.EventuallyAsync(() => !ProcessTable.OpenPipes(Environment.ProcessId).Any(pipes.Contains), TimeSpan.FromSeconds(5)), "the stopped standby's pipes are still open here");
    }

    [LimitsFact]
    public async Task A_replicas_control_group_goes_with_it_and_the_gateways_with_the_gateway()
    {
        var fixture = await LocalProviderFixture.StartAsync();
        string group;
        await using (fixture)
        {
            await fixture.Provider.DeployAsync(LocalProviderFixture.Function("bounded", "cat") with { Limits = new FunctionResources { Memory = "64Mi" } }, CancellationToken.None);
            await fixture.WaitForReadyAsync("bounded", 1);
            (group, var limit) = MemoryGroupOf(LocalProviderFixture.ReplicaProcesses("bounded").Single());
            Assert.Equal("67108864", (await File.ReadAllTextAsync(Path.Join(group, limit))).Trim());

            await fixture.Provider.ScaleAsync(new() { ServiceName = "bounded", Replicas = 0 }, CancellationToken.None);
            await fixture.WaitForReadyAsync("bounded", 0);
            Assert.True(await ProcessTable.EventuallyAsync(() => !Directory.Exists(group), TimeSpan.FromSeconds(5)), $"{group} is still there");
            Assert.True(Directory.Exists(Path.GetDirectoryName(group)), "the gateway's own group went with the replica's");
        }

        Assert.False(Directory.Exists(Path.GetDirectoryName(group)), $"{Path.GetDirectoryName(group)} outlived its gateway");
    }

    /// <summary>
    /// The fork bomb's count. The watchdog shares its replica's limit, and .NET ends a process that cannot start a
    /// thread it needs: if it needed one while the bomb held every PID, the replica is started again and asked again.
    /// </summary>
    private static async Task<int> ForkAsync(LocalProviderFixture fixture, ReplicaEndpoint forker)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return int.Parse(await LocalProviderFixture.InvokeAsync(forker), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                Assert.True(await ProcessTable.EventuallyAsync(() => ForkedChildren().Count == 0, TimeSpan.FromSeconds(10)), "the children outlived their replica");
                forker = (await fixture.WaitForReadyAsync("forker", 1))[0];
            }
        }
    }

    /// <summary>The directory of <paramref name="pid"/>'s pids control group, and how many tasks are in it.</summary>
    private static (string Group, string Tasks) PidsGroupOf(int pid)
    {
        var group = ControlGroups.DirectoryOf(pid, "pids")!;
        return (group, File.ReadAllText(Path.Join(group, "pids.current")).Trim());
    }

    /// <summary>The fork bomb's processes (a standby's replica is not named after its function, so found by its command).</summary>
    private static IReadOnlyList<int> ForkedChildren() =>
        [.. ProcessTable.DescendantsOf(Environment.ProcessId).Where(pid => ReadCommandLine(pid).Contains("os.fork", StringComparison.Ordinal))];

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static long HostPids() =>
        Math.Min(long.Parse(File.ReadAllText("/proc/sys/kernel/pid_max"), System.Globalization.CultureInfo.InvariantCulture), long.Parse(File.ReadAllText("/proc/sys/kernel/threads-max"), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The directory of <paramref name="pid"/>'s memory control group, and the file of its limit there.</summary>
    private static (string Group, string LimitFile) MemoryGroupOf(int pid) =>
        (ControlGroups.DirectoryOf(pid, "memory")!, ControlGroups.IsUnified ? "memory.max" : "memory.limit_in_bytes");
}
