using Faas.Watchdog.Tests.Modes;

namespace Faas.Watchdog.Tests.Server;

/// <summary>FAAS_LIFELINE: the local backend's gateway holds the only writing end of the watchdog's stdin.</summary>
public class LifelineTests
{
    [Fact]
    public async Task With_a_lifeline_the_end_of_stdin_stops_the_function_and_the_watchdog()
    {
        await using var watchdog = await HttpModeTests.StartAsync(("FAAS_LIFELINE", "1"), ("healthcheck_interval", "30s"));
        var function = Assert.Single(ProcessTable.ChildrenOf(watchdog.Process.Pid));

        // What the kernel does to the pipe when the gateway goes, even by SIGKILL.
        watchdog.Process.CloseStdin();

        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the watchdog outlived its lifeline (it waited out healthcheck_interval, or never noticed)");
        Assert.Equal(0, watchdog.Process.ExitCode);
        Assert.True(await ProcessTable.EventuallyAsync(() => !ProcessTable.IsAlive(function), TimeSpan.FromSeconds(5)), "the function outlived its watchdog");
    }

    [Fact]
    public async Task Without_a_lifeline_a_closed_stdin_changes_nothing()
    {
        await using var watchdog = await HttpModeTests.StartAsync();

        watchdog.Process.CloseStdin();
        await Task.Delay(TimeSpan.FromSeconds(1));
        using var response = await TestHttp.Client.GetAsync(watchdog.Url + "/");

        Assert.False(watchdog.Process.HasExited);
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
    }
}
