
namespace Faas.Provider.Local.Tests.Replicas;

public class StandbyPoolTests
{
    [Fact]
    public async Task Scaling_from_zero_adopts_a_standby_and_the_pool_refills()
    {
        await using var fixture = await LocalProviderFixture.StartAsync(standbys: 1);
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("warm", "cat", labels: new() { ["com.openfaas.scale.min"] = "0" }), CancellationToken.None);
        Assert.True(await ProcessTable.EventuallyAsync(() => fixture.AllProcesses().Count == 1, TimeSpan.FromSeconds(10)), "no standby was started");
        var standby = Assert.Single(fixture.AllProcesses());

        await fixture.Provider.ScaleAsync(new() { ServiceName = "warm", Replicas = 1 }, CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("warm", 1);

        Assert.Equal("adopted", await LocalProviderFixture.InvokeAsync(ready[0], "adopted"));
        Assert.True(ProcessTable.IsAlive(standby), "the standby should now be the replica");
        Assert.True(await ProcessTable.EventuallyAsync(() => fixture.AllProcesses().Count == 2, TimeSpan.FromSeconds(10)), "the pool did not refill");

        await fixture.Provider.DeleteAsync("warm", "", CancellationToken.None);

        Assert.False(ProcessTable.IsAlive(standby), "the adopted replica outlived its function");
        Assert.Single(fixture.AllProcesses());
    }

    [Fact]
    public async Task An_adopted_standby_runs_the_function_in_its_own_environment_and_directory()
    {
        await using var fixture = await LocalProviderFixture.StartAsync(standbys: 1);
        Assert.True(await ProcessTable.EventuallyAsync(() => fixture.AllProcesses().Count == 1, TimeSpan.FromSeconds(10)));

        await fixture.Provider.DeployAsync(
            LocalProviderFixture.Function("envy", "sh -c 'echo $GREETING from $FAAS_FUNCTION_NAME; echo to-log >&2'", new() { ["GREETING"] = "hello" }),
            CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("envy", 1);

        Assert.Equal("hello from envy\n", await LocalProviderFixture.InvokeAsync(ready[0]));
        await TestLogs.WaitForLineAsync(fixture.Provider, "envy", "to-log");
    }

    [Fact]
    public async Task A_standby_that_dies_idle_leaves_none_of_its_pipes_open_here()
    {
        await using var fixture = await LocalProviderFixture.StartAsync(standbys: 1);
        Assert.True(await ProcessTable.EventuallyAsync(() => fixture.AllProcesses().Count == 1, TimeSpan.FromSeconds(10)), "no standby was started");
        var standby = Assert.Single(fixture.AllProcesses());
        // Its standard streams are pipes to this process (its ready report's pipe, until written, is a fourth).
        var pipes = ProcessTable.StandardStreamPipes(standby).ToHashSet();
        Assert.Equal(3, OpenHere(pipes).Count);

        Faas.Posix.Signals.Send(standby, Faas.Posix.Signals.SigKill);

        Assert.True(await ProcessTable.EventuallyAsync(() => OpenHere(pipes).Count == 0, TimeSpan.FromSeconds(4)),
            $"still open here: {string.Join(", ", OpenHere(pipes))}");
        Assert.True(await ProcessTable.EventuallyAsync(() => fixture.AllProcesses().Count == 1, TimeSpan.FromSeconds(10)), "the pool did not replace the standby");
    }

    /// <summary>Which of <paramref name="pipes"/> this process still holds an end of.</summary>
    private static List<string> OpenHere(HashSet<string> pipes) => [.. ProcessTable.OpenPipes(Environment.ProcessId).Where(pipes.Contains)];

    [Fact]
    public async Task Stopping_the_provider_stops_its_standbys()
    {
        var fixture = await LocalProviderFixture.StartAsync(standbys: 2);

        // The standbys are this process's children; a standby's own short-lived warm-up child is not one of them.
        IReadOnlyList<int> Standbys() => [.. fixture.AllProcesses().Intersect(ProcessTable.ChildrenOf(Environment.ProcessId))];
        Assert.True(await ProcessTable.EventuallyAsync(() => Standbys().Count == 2, TimeSpan.FromSeconds(10)));
        var standbys = Standbys();

        await fixture.DisposeAsync();

        Assert.All(standbys, pid => Assert.False(ProcessTable.IsAlive(pid), $"standby {pid} outlived the provider"));
    }
}
