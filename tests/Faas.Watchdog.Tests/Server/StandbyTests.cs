using System.Globalization;
using Faas.Testing;

namespace Faas.Watchdog.Tests.Server;

public class StandbyTests
{
    private static (ChildProcess Process, int Port, TempDirectory Temp) StartStandby() => StdinConfiguredWatchdog.Start("FAAS_STANDBY", "1");

    [Fact]
    public async Task Standby_serves_nothing_until_assigned_then_runs_the_assigned_function()
    {
        var (process, port, temp) = StartStandby();
        using var _ = temp;
        await using var __ = process;
        var workdir = temp.Combine("work");
        Directory.CreateDirectory(workdir);
        await File.WriteAllTextAsync(Path.Combine(workdir, "marker.txt"), "from the working directory");

        await Task.Delay(500);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => TestHttp.Client.GetAsync($"http://127.0.0.1:{port}/_/health"));
        await process.WriteLineToStdinAsync($$"""{"fprocess":"sh -c 'cat marker.txt; echo \" $GREETING\"'","GREETING":"hi","FAAS_WORKDIR":"{{workdir}}"}""");
        process.CloseStdin();
        await TestHttp.WaitForOkAsync($"http://127.0.0.1:{port}/_/health", TimeSpan.FromSeconds(10), () => process.Output);
        using var response = await TestHttp.Client.PostAsync($"http://127.0.0.1:{port}/", new StringContent(""));

        Assert.Equal("from the working directory hi\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_malformed_assignment_exits_2_naming_it()
    {
        var (process, _, temp) = StartStandby();
        using var _ = temp;
        await using var __ = process;

        await process.WriteLineToStdinAsync("{not json");

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("function assignment", process.Output);
    }

    [Fact]
    public async Task A_standby_whose_stdin_closes_exits_quietly()
    {
        var (process, _, temp) = StartStandby();
        using var _ = temp;
        await using var __ = process;

        process.CloseStdin();

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_stop_signal_that_comes_with_the_assignment_is_kept_and_the_watchdog_drains_to_exit_0()
    {
        // SIGTERM at a spread of moments after the assignment, across the hand-over from the standby's wait to the
        // server: a signal falling between the two used to find no handler and kill the watchdog (143), or, as PID 1 of
        // the sandbox's namespace, be dropped.
        var standbys = Enumerable.Range(0, 6).Select(_ => StartStandby()).ToList();
        try
        {
            await Task.Delay(3000); // past the start of Main in all of them
            for (var i = 0; i < standbys.Count; i++)
            {
                var process = standbys[i].Process;
                await process.WriteLineToStdinAsync("""{"fprocess":"cat"}""");
                var after = System.Diagnostics.Stopwatch.StartNew();
                while (after.Elapsed < TimeSpan.FromMilliseconds(i * 0.5))
                {
                    Thread.SpinWait(100);
                }

                Faas.Posix.Signals.Send(process.Pid, Faas.Posix.Signals.SigTerm);
            }

            var exits = new List<string>();
            foreach (var (process, _, _) in standbys)
            {
                exits.Add(await process.WaitForExitAsync(TimeSpan.FromSeconds(10)) ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running");
            }

            Assert.All(exits, exit => Assert.Equal("0", exit));
        }
        finally
        {
            foreach (var (process, _, temp) in standbys)
            {
                await process.DisposeAsync();
                temp.Dispose();
            }
        }
    }

    [SandboxFact]
    public async Task A_standby_that_is_pid_1_of_its_namespace_exits_on_SIGTERM()
    {
        // As the local backend's sandbox runs it: PID 1 of a PID namespace of its own, where a signal without a handler is dropped.
        using var temp = new TempDirectory();
        await using var sandbox = ChildProcess.Start("bwrap", ["--dev-bind", "/", "/", "--unshare-pid", "--as-pid-1", "--", RepoPaths.Watchdog], new Dictionary<string, string>
        {
            ["FAAS_STANDBY"] = "1",
            ["TMPDIR"] = temp.Path,
        });
        var watchdog = 0;
        Assert.True(await ProcessTable.EventuallyAsync(() => (watchdog = ProcessTable.ChildrenOf(sandbox.Pid).FirstOrDefault()) != 0, TimeSpan.FromSeconds(10)), sandbox.Output);
        await Task.Delay(1000); // past the start of Main, where the standby takes the signals

        Faas.Posix.Signals.Send(watchdog, Faas.Posix.Signals.SigTerm);

        Assert.True(await sandbox.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the standby ignored SIGTERM: " + sandbox.Output);
        Assert.Equal(0, sandbox.ExitCode);
    }
}
