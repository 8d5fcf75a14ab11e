using System.Net;
using System.Net.Sockets;

namespace Faas.Watchdog.Tests.Server;

/// <summary>What is wrong with an address or port shows only when listening: it is still one line naming the setting, and exit 2.</summary>
public class ListenFailureTests
{
    [Fact]
    public async Task A_port_in_use_exits_2_naming_port()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, output) = await RunAsync(new() { ["port"] = port });

        Assert.Equal(2, exitCode);
        Assert.Equal($"watchdog: invalid port=\"{port}\": expected a free port (127.0.0.1:{port} is in use)", output.Trim());
    }

    [Fact]
    public async Task An_address_of_another_machine_exits_2_naming_listen_address()
    {
        // A documentation address (TEST-NET-3): never assigned to a local interface, and nothing is ever sent to it.
        var (exitCode, output) = await RunAsync(new() { ["listen_address"] = "203.0.113.7" });

        Assert.Equal(2, exitCode);
        Assert.Equal("watchdog: invalid listen_address=\"203.0.113.7\": expected an address of this machine, such as 127.0.0.1 or 0.0.0.0", output.Trim());
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> settings)
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>(settings) { ["fprocess"] = "cat" }, waitUntilHealthy: false);
        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the watchdog kept running: " + watchdog.Process.Output);
        return (watchdog.Process.ExitCode, watchdog.Process.Output);
    }
}
