
namespace Faas.Provider.Local.Tests;

public class LocalProviderLifecycleTests
{
    [Fact]
    public async Task Deployed_function_gets_a_ready_replica_that_answers()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();

        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("echo-a", "cat"), CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("echo-a", 1);

        Assert.Equal("hello", await LocalProviderFixture.InvokeAsync(ready[0], "hello"));
        var status = await fixture.Provider.GetAsync("echo-a", "", CancellationToken.None);
        Assert.Equal(1UL, status.Replicas);
        Assert.Equal(1UL, status.AvailableReplicas);
        Assert.Equal("openfaas-fn", status.Namespace);
    }

    [Fact]
    public async Task Scale_from_zero_to_three_and_back_to_zero_leaves_no_process()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("scaled", "cat", labels: new() { ["com.openfaas.scale.min"] = "0" }), CancellationToken.None);
        Assert.Empty(fixture.Provider.GetReadyEndpoints(LocalProviderFixture.Key("scaled")));

        await fixture.Provider.ScaleAsync(new() { ServiceName = "scaled", Replicas = 3 }, CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("scaled", 3);
        var pids = LocalProviderFixture.ReplicaProcesses("scaled");

        Assert.Equal(3, ready.Select(e => e.Port).Distinct().Count());
        Assert.Equal(3, pids.Count);
        foreach (var endpoint in ready)
        {
            Assert.Equal("x", await LocalProviderFixture.InvokeAsync(endpoint, "x"));
        }

        await fixture.Provider.ScaleAsync(new() { ServiceName = "scaled", Replicas = 0 }, CancellationToken.None);

        Assert.Empty(fixture.Provider.GetReadyEndpoints(LocalProviderFixture.Key("scaled")));
        Assert.True(await ProcessTable.EventuallyAsync(() => LocalProviderFixture.ProcessesOf("scaled").Count == 0, TimeSpan.FromSeconds(10)));
        Assert.Equal(0UL, (await fixture.Provider.GetAsync("scaled", "", CancellationToken.None)).Replicas);
    }

    [Fact]
    public async Task A_killed_replica_is_restarted_and_the_restart_is_reported()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("victim", "cat"), CancellationToken.None);
        var before = (await fixture.WaitForReadyAsync("victim", 1))[0];
        var pid = Assert.Single(LocalProviderFixture.ReplicaProcesses("victim"));

        Faas.Posix.Signals.Send(pid, Faas.Posix.Signals.SigKill);

        Assert.True(await ProcessTable.EventuallyAsync(() => fixture.Provider.GetReadyEndpoints(LocalProviderFixture.Key("victim")) is [var e] && e.Port != before.Port, TimeSpan.FromSeconds(20)));
        var status = await fixture.Provider.GetAsync("victim", "", CancellationToken.None);
        Assert.Equal(1, status.Restarts);
        Assert.Contains("exit code", status.LastExit);
        Assert.False(status.CrashLooping);
        var after = fixture.Provider.GetReadyEndpoints(LocalProviderFixture.Key("victim"))[0];
        Assert.Equal("back", await LocalProviderFixture.InvokeAsync(after, "back"));
        Assert.Equal(before.Instance, after.Instance);
    }

    [Fact]
    public async Task A_function_that_keeps_crashing_is_reported_as_crash_looping()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();

        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("broken", "sh -c 'exit 7'", new() { ["mode"] = "http" }), CancellationToken.None);

        Assert.True(await ProcessTable.EventuallyAsync(async () => (await fixture.Provider.GetAsync("broken", "", CancellationToken.None)).CrashLooping, TimeSpan.FromSeconds(30)));
        var status = await fixture.Provider.GetAsync("broken", "", CancellationToken.None);
        Assert.True(status.Restarts >= 3, $"restarts: {status.Restarts}");
        Assert.Equal(0UL, status.AvailableReplicas);
        Assert.NotNull(status.LastExit);
    }

    [Fact]
    public async Task Functions_come_back_at_their_replica_count_after_a_provider_restart()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("durable", "cat"), CancellationToken.None);
        await fixture.Provider.ScaleAsync(new() { ServiceName = "durable", Replicas = 2 }, CancellationToken.None);
        await fixture.WaitForReadyAsync("durable", 2);
        var oldPids = LocalProviderFixture.ReplicaProcesses("durable");

        await fixture.RestartAsync();

        Assert.All(oldPids, pid => Assert.False(ProcessTable.IsAlive(pid), $"old replica {pid} outlived the provider"));
        var ready = await fixture.WaitForReadyAsync("durable", 2);
        Assert.Equal("again", await LocalProviderFixture.InvokeAsync(ready[0], "again"));
        var status = await fixture.Provider.GetAsync("durable", "", CancellationToken.None);
        Assert.Equal(2UL, status.Replicas);
        Assert.Equal("cat", status.EnvProcess);
    }

    [Fact]
    public async Task Replicas_stopped_with_the_gateway_drain_without_waiting_for_routers()
    {
        // A replica told routers still send to it would serve on for 10 s and be killed after the 3 s grace, unlogged.
        await using var fixture = await LocalProviderFixture.StartAsync(configure: options => options.DrainDelay = TimeSpan.FromSeconds(10));
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("leaving", "cat"), CancellationToken.None);
        await fixture.WaitForReadyAsync("leaving", 1);
        var replica = Assert.Single(LocalProviderFixture.ReplicaProcesses("leaving"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await fixture.Provider.DisposeAsync();
        var stopped = clock.Elapsed;

        Assert.False(ProcessTable.IsAlive(replica));
        Assert.True(stopped < fixture.Options.StopGrace, $"stopping took {stopped}, as long as the grace before SIGKILL");
        Assert.Contains("draining: 0 request(s) in flight",
            await File.ReadAllTextAsync(Path.Combine(fixture.State.Path, "logs", "openfaas-fn", "leaving.log")));
    }

    [Fact]
    public async Task Delete_leaves_no_process_and_no_files()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("doomed", "sh -c 'echo output >&2; cat'"), CancellationToken.None);
        await fixture.Provider.ScaleAsync(new() { ServiceName = "doomed", Replicas = 2 }, CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("doomed", 2);
        await LocalProviderFixture.InvokeAsync(ready[0], "x");
        var pids = LocalProviderFixture.ReplicaProcesses("doomed");

        await fixture.Provider.DeleteAsync("doomed", "openfaas-fn", CancellationToken.None);

        Assert.All(pids, pid => Assert.False(ProcessTable.IsAlive(pid), $"replica {pid} is still running"));
        Assert.True(await ProcessTable.EventuallyAsync(() => LocalProviderFixture.ProcessesOf("doomed").Count == 0, TimeSpan.FromSeconds(5)), "a process of the deleted function is still running");
        var leftovers = Directory.EnumerateFileSystemEntries(fixture.State.Path, "*doomed*", SearchOption.AllDirectories).ToList();
        Assert.Empty(leftovers);
        await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.GetAsync("doomed", "", CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_deploy_scale_and_delete_of_one_function_stay_consistent()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        var deployment = LocalProviderFixture.Function("contested", "cat");
        var operations = Enumerable.Range(0, 30).Select(i => (i % 3) switch
        {
            0 => fixture.Provider.DeployAsync(deployment, CancellationToken.None),
            1 => fixture.Provider.ScaleAsync(new() { ServiceName = "contested", Replicas = (ulong)(i % 4) }, CancellationToken.None),
            _ => fixture.Provider.DeleteAsync("contested", "", CancellationToken.None),
        });

        foreach (var operation in operations.ToList())
        {
            try
            {
                await operation;
            }
            catch (ProviderException error) when (error.Kind is ProviderError.NotFound or ProviderError.Conflict)
            {
                // Expected for operations that lost the race.
            }
        }

        var exists = (await fixture.Provider.ListAsync("", CancellationToken.None)).Any(f => f.Name == "contested");
        if (exists)
        {
            await fixture.Provider.DeleteAsync("contested", "", CancellationToken.None);
        }

        Assert.True(await ProcessTable.EventuallyAsync(() => LocalProviderFixture.ProcessesOf("contested").Count == 0, TimeSpan.FromSeconds(15)),
            "replicas of a deleted function are still running");
        Assert.False(Directory.Exists(Path.Combine(fixture.State.Path, "functions", "openfaas-fn", "contested")));
    }
}
