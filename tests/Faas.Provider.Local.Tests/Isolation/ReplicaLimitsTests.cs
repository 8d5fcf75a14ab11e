using Faas.Testing;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Tests.Isolation;

/// <summary>
/// A function's limits hold its local replicas as a container's hold it: memory past the limit is killed, CPU past it
/// throttled, whether the replica started fresh or from a standby, and nothing of its control group is left after.
/// </summary>
public class ReplicaLimitsTests
{
    /// <summary>Touches 200 MB, then says so.</summary>
    private const string Hungry = "python3 -c \"b = b'x' * (200 << 20); print('allocated', len(b) >> 20)\"";

    /// <summary>Keeps a core busy for a second of wall time, then prints the CPU seconds it got.</summary>
    private const string Busy = "python3 -c \"import time\nstart = time.monotonic()\nwhile time.monotonic() - start < 1: pass\nprint(round(time.process_time(), 3))\"";

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

    /// <summary>The directory of <paramref name="pid"/>'s memory control group, and the file of its limit there.</summary>
    private static (string Group, string LimitFile) MemoryGroupOf(int pid)
    {
        var groups = File.ReadAllLines($"/proc/{pid}/cgroup").Select(line => line.Split(':', 3)).ToList();
        return File.Exists("/sys/fs/cgroup/cgroup.controllers")
            ? (Path.Join("/sys/fs/cgroup", groups.Single(parts => parts[0] == "0")[2]), "memory.max")
            : (Path.Join("/sys/fs/cgroup/memory", groups.Single(parts => parts[1].Split(',').Contains("memory"))[2]), "memory.limit_in_bytes");
    }
}
