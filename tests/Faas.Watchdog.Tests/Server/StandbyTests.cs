using System.Globalization;
using Faas.Testing;

namespace Faas.Watchdog.Tests.Server;

public class StandbyTests
{
    private static (ChildProcess Process, int Port, TempDirectory Temp) StartStandby()
    {
        var temp = new TempDirectory();
        var port = FreePort.Next();
        var process = ChildProcess.Start(RepoPaths.Watchdog, [], new Dictionary<string, string>
        {
            ["FAAS_STANDBY"] = "1",
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["metrics_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["listen_address"] = "127.0.0.1",
            ["TMPDIR"] = temp.Path,
            ["healthcheck_interval"] = "0",
        });
        return (process, port, temp);
    }

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
        Assert.Contains("standby assignment", process.Output);
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
