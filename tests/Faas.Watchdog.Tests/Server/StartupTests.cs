
namespace Faas.Watchdog.Tests.Server;

public class StartupTests
{
    [Theory]
    [InlineData("exec_timeout", "forever")]
    [InlineData("mode", "inproc")]
    [InlineData("max_inflight", "lots")]
    public async Task Bad_configuration_exits_2_with_one_line_naming_the_variable(string variable, string value)
    {
        await using var process = ChildProcess.Start(RepoPaths.Watchdog, [], new Dictionary<string, string>
        {
            ["fprocess"] = "cat",
            [variable] = value,
        });

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{variable}=\"{value}\"", line);
    }

    [Fact]
    public async Task Missing_fprocess_exits_2()
    {
        await using var process = ChildProcess.Start(RepoPaths.Watchdog, [], new Dictionary<string, string> { ["fprocess"] = "" });

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("fprocess is required", process.Output);
    }

    [Fact]
    public async Task Run_healthcheck_reports_the_lock_file()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat" });
        var environment = new Dictionary<string, string> { ["fprocess"] = "cat", ["TMPDIR"] = Path.GetDirectoryName(watchdog.LockFile)! };

        await using var healthy = ChildProcess.Start(RepoPaths.Watchdog, ["-run-healthcheck"], environment);
        await healthy.WaitForExitAsync(TimeSpan.FromSeconds(10));
        File.Delete(watchdog.LockFile);
        await using var unhealthy = ChildProcess.Start(RepoPaths.Watchdog, ["-run-healthcheck"], environment);
        await unhealthy.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, healthy.ExitCode);
        Assert.Equal(1, unhealthy.ExitCode);
    }
}
