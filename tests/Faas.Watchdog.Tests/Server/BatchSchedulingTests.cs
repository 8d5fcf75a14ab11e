
namespace Faas.Watchdog.Tests.Server;

/// <summary>
/// The watchdog's own threads run SCHED_BATCH (policy 3) unless <c>sched_batch=false</c>; the function, forked once
/// (http mode) or per request, runs with the policy the watchdog was started with (SCHED_OTHER, 0, here).
/// </summary>
public class BatchSchedulingTests
{
    /// <summary>A script that prints the scheduling policy of its own process (field 41 of /proc/PID/stat).</summary>
    private const string PrintOwnPolicy = "#!/bin/sh\nsed 's/.*) //' /proc/$$/stat | cut -d' ' -f39\n";

    [Fact]
    public async Task The_watchdog_runs_batch_and_its_http_function_keeps_the_launch_policy()
    {
        using var temp = new TempDirectory();
        var upstreamPort = FreePort.Next();
        var pidFile = temp.Combine("function.pid");
        var script = await WriteScriptAsync(temp, $"#!/bin/sh\necho $$ > '{pidFile}'\nexec '{RepoPaths.TestUpstream}' {upstreamPort}\n");

        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "http",
            ["fprocess"] = script,
            ["upstream_url"] = $"http://127.0.0.1:{upstreamPort}",
        });
        await SendConcurrentRequestsAsync(watchdog);
        var functionPid = int.Parse(await File.ReadAllTextAsync(pidFile));

        Assert.True(SchedulingPolicies.AllThreadsRun(watchdog.Process.Pid, SchedulingPolicies.Batch), SchedulingPolicies.Describe(watchdog.Process.Pid));
        Assert.True(SchedulingPolicies.AllThreadsRun(functionPid, SchedulingPolicies.Other), SchedulingPolicies.Describe(functionPid));
    }

    [Fact]
    public async Task A_function_forked_per_request_keeps_the_launch_policy()
    {
        using var temp = new TempDirectory();
        var script = await WriteScriptAsync(temp, PrintOwnPolicy);

        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["mode"] = "streaming", ["fprocess"] = script });
        using var response = await TestHttp.Client.PostAsync(watchdog.Url + "/", new StringContent(""));

        Assert.Equal($"{SchedulingPolicies.Other}\n", await response.Content.ReadAsStringAsync());
        Assert.True(SchedulingPolicies.AllThreadsRun(watchdog.Process.Pid, SchedulingPolicies.Batch), SchedulingPolicies.Describe(watchdog.Process.Pid));
    }

    [Fact]
    public async Task Sched_batch_false_leaves_the_watchdog_at_its_launch_policy()
    {
        await using var watchdog = await Modes.HttpModeTests.StartAsync(("sched_batch", "false"));
        await SendConcurrentRequestsAsync(watchdog);

        Assert.True(SchedulingPolicies.AllThreadsRun(watchdog.Process.Pid, SchedulingPolicies.Other), SchedulingPolicies.Describe(watchdog.Process.Pid));
    }

    private static async Task<string> WriteScriptAsync(TempDirectory temp, string text)
    {
        var script = temp.Combine("function.sh");
        await File.WriteAllTextAsync(script, text);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return script;
    }

    /// <summary>Enough concurrent work that the watchdog's thread pool and socket threads have all started.</summary>
    private static async Task SendConcurrentRequestsAsync(WatchdogProcess watchdog)
    {
        var requests = Enumerable.Range(0, 64).Select(async _ =>
        {
            using var response = await TestHttp.Client.GetAsync(watchdog.Url + "/");
            Assert.Equal(200, (int)response.StatusCode);
        });
        await Task.WhenAll(requests);
    }
}
