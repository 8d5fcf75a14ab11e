using System.Net.Sockets;

namespace Faas.Watchdog.Tests.Server;

public class ShutdownTests
{
    [Fact]
    public async Task SIGTERM_drains_in_flight_requests_then_exits_0()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "sh -c 'sleep 2; echo finished'",
            ["write_timeout"] = "10s",
        });

        var inFlight = TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));
        await Task.Delay(500);
        watchdog.Process.Signal(15);

        using var response = await inFlight;
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("finished\n", await response.Content.ReadAsStringAsync());
        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, watchdog.Process.ExitCode);
        await Assert.ThrowsAnyAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", watchdog.Port);
        });
    }

    [Fact]
    public async Task SIGINT_drains_in_flight_requests_without_waiting_for_routers()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "sh -c 'sleep 1; echo finished'",
            ["write_timeout"] = "10s",
            ["healthcheck_interval"] = "30s",
        });

        var inFlight = TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));
        await Task.Delay(300);
        watchdog.Process.Signal(2);

        using var response = await inFlight;
        Assert.Equal("finished\n", await response.Content.ReadAsStringAsync());
        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)), "still running: SIGINT waited for routers (30 s)");
        Assert.Equal(0, watchdog.Process.ExitCode);
    }

    [Fact]
    public async Task SIGINT_drains_a_watchdog_started_with_SIGINT_ignored()
    {
        // As the replicas of a gateway started by a script's "gateway &" are: their supervisor's SIGINT must not be lost.
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "cat",
            ["healthcheck_interval"] = "30s",
        }, interruptIgnored: true);

        watchdog.Process.Signal(2);

        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)), "still running: the SIGINT was ignored");
        Assert.Equal(0, watchdog.Process.ExitCode);
    }

    [Fact]
    public async Task Drain_stops_at_write_timeout()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["fprocess"] = "sleep 30",
            ["write_timeout"] = "1s",
            ["exec_timeout"] = "0",
        });

        var inFlight = TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));
        await Task.Delay(300);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        watchdog.Process.Signal(15);

        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"drain took {clock.Elapsed}");
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
    }

    [Fact]
    public async Task SIGTERM_stops_the_http_mode_function()
    {
        await using var watchdog = await Modes.HttpModeTests.StartAsync();
        var upstreamPid = ChildPids(watchdog.Process.Pid).Single();

        watchdog.Process.Signal(15);

        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, watchdog.Process.ExitCode);
        await Modes.StreamingModeTests.AssertProcessGoneAsync(upstreamPid);
    }

    private static IEnumerable<int> ChildPids(int parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, System.Globalization.CultureInfo.InvariantCulture))
            .Where(pid =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    return int.Parse(stat[(stat.LastIndexOf(')') + 4)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) == parent;
                }
                catch (IOException)
                {
                    return false;
                }
            });
}
