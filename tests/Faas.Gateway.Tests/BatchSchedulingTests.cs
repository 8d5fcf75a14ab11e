
namespace Faas.Gateway.Tests;

/// <summary>
/// The gateway binary and the watchdogs it starts run their own threads SCHED_BATCH (policy 3); functions run with
/// the policy the gateway was started with (SCHED_OTHER, 0, here). Either side can turn it off.
/// </summary>
public class BatchSchedulingTests
{
    [Fact]
    public async Task The_gateway_and_its_watchdogs_run_batch_and_functions_keep_the_launch_policy()
    {
        const string script = PolicyOfTheFunction;
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Gateway__Local__StandbyReplicas"] = "1" });
        await gateway.DeployAsync($$"""{"service":"from-standby","image":"local","envProcess":"{{script}}"}""");
        await gateway.DeployAsync($$$"""{"service":"own-watchdog","image":"local","envProcess":"{{{script}}}","envVars":{"sched_batch":"false"}}""");

        var fromStandby = await gateway.InvokeAsync("from-standby");
        var ownWatchdog = await gateway.InvokeAsync("own-watchdog");
        var watchdogs = ProcessTable.DescendantsOf(gateway.Pid).Where(pid => ProcessTable.Executable(pid) == RepoPaths.Watchdog).ToList();
        // The function's variables reach its watchdog on stdin; the replica id is in the watchdog's environment.
        var unbatched = watchdogs.Intersect(ProcessTable.WithEnvironment("FAAS_REPLICA_ID", "own-watchdog-")).ToList();

        Assert.Equal($"{SchedulingPolicies.Other}\n", fromStandby);
        Assert.Equal($"{SchedulingPolicies.Other}\n", ownWatchdog);
        // Eventually: a gateway thread that forks a replica (the standby started to replace the one taken) runs
        // SCHED_OTHER for the moment of the fork, so the child starts with the launch policy.
        Assert.True(await ProcessTable.EventuallyAsync(() => SchedulingPolicies.AllThreadsRun(gateway.Pid, SchedulingPolicies.Batch), TimeSpan.FromSeconds(10)),
            SchedulingPolicies.Describe(gateway.Pid));
        Assert.True(SchedulingPolicies.AllThreadsRun(Assert.Single(unbatched), SchedulingPolicies.Other), SchedulingPolicies.Describe(Assert.Single(unbatched)));

        // Every other watchdog (the replica taken from the standby pool, the standby started to replace it) runs
        // batch once its start-up has switched the threads the runtime started before Main.
        var batched = watchdogs.Except(unbatched).ToList();
        Assert.NotEmpty(batched);
        Assert.True(await ProcessTable.EventuallyAsync(() => batched.All(pid => SchedulingPolicies.AllThreadsRun(pid, SchedulingPolicies.Batch)), TimeSpan.FromSeconds(10)),
            "a watchdog thread is not SCHED_BATCH: " + string.Join("; ", batched.Select(pid => $"{pid}: {string.Join(',', SchedulingPolicies.ThreadPolicies(pid))}")));
    }

    [Fact]
    public async Task Gateway_SchedBatch_false_leaves_the_gateway_at_its_launch_policy()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Gateway__SchedBatch"] = "false" });

        Assert.True(SchedulingPolicies.AllThreadsRun(gateway.Pid, SchedulingPolicies.Other), SchedulingPolicies.Describe(gateway.Pid));
    }

    [Fact]
    public async Task A_setting_that_is_not_a_boolean_exits_2_naming_it()
    {
        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Gateway__SchedBatch"] = "maybe" });

        Assert.Equal(2, exitCode);
        Assert.Contains("gateway: Failed to convert configuration value 'maybe' at 'Gateway:SchedBatch' to type 'System.Boolean'", output);
    }

    /// <summary>
    /// A streaming function that prints the scheduling policy of its own process: field 41 of /proc/PID/stat, which
    /// is field 41 when split on spaces because the command's name ("cut") has none.
    /// </summary>
    private const string PolicyOfTheFunction = "cut -d' ' -f41 /proc/self/stat";
}
