using System.Globalization;
using Docker.DotNet.Models;
using Faas.Bench.Tools;
using Faas.Harness;
using Faas.Posix;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>docker-network</c>: what a replica's own network namespace costs. The same container (the watchdog and the test
/// upstream, http mode) twice on one engine, side by side in one run: on the host network, reached on its loopback
/// port, and on a user-defined bridge network with port 8080 published on 127.0.0.1 (through docker-proxy, as the
/// engine here runs without iptables). wrk reaches each directly, without the gateway.
/// </summary>
internal static class DockerNetworkScenario
{
    private const string Label = "faas-bench.network";
    private const string Network = "faas-bench-bridge";

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var daemon = await DockerDaemon.StartAsync();
        using var engine = daemon.Client();
        var engineVersion = (await engine.System.GetVersionAsync()).Version;
        await BaseImages.ImportWatchdogAsync(engine);
        await GatewayDockerScenario.BuildUpstreamImageAsync(engine);
        await engine.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = Network, Driver = "bridge", Labels = new Dictionary<string, string> { [Label] = "1" } });
        try
        {
            var hostPort = FreePort.Next();
            var upstreamPort = FreePort.Next();
            await engine.RunAsync(Container("host", "host", new()
            {
                ["port"] = Text(hostPort),
                ["listen_address"] = "127.0.0.1",
                ["metrics_port"] = Text(FreePort.Next()),
                ["PORT"] = Text(upstreamPort),
                ["upstream_url"] = $"http://127.0.0.1:{upstreamPort}",
            }, null));
            var publishedPort = FreePort.Next();
            await engine.RunAsync(Container("bridge", Network, new() { ["port"] = "8080", ["listen_address"] = "0.0.0.0" }, publishedPort));
            var hostUrl = $"http://127.0.0.1:{hostPort}/";
            var bridgeUrl = $"http://127.0.0.1:{publishedPort}/";
            await TestHttp.WaitForOkAsync(hostUrl + "_/health", TimeSpan.FromSeconds(60), () => "");
            await TestHttp.WaitForOkAsync(bridgeUrl + "_/health", TimeSpan.FromSeconds(60), () => "");

            var runs = await SideBySide.MeasureAsync(report, settings,
                [("host network", hostUrl, null), ("bridge, published on 127.0.0.1", bridgeUrl, null)], Environment.ProcessId);
            var ratio = SideBySide.Median(runs, "bridge, published on 127.0.0.1", "saturated", r => r.RequestsPerSecond) / SideBySide.Median(runs, "host network", "saturated", r => r.RequestsPerSecond);
            var added = SideBySide.Median(runs, "bridge, published on 127.0.0.1", "unsaturated", r => r.P50Ms) - SideBySide.Median(runs, "host network", "unsaturated", r => r.P50Ms);
            report.AddGoal("a bridged replica serves at least 0.9x a host-network one (saturated req/s)", ratio >= 0.9, $"{ratio:0.000}x");
            report.AddGoal("a bridged replica adds at most 0.1 ms at p50 unsaturated", added <= 0.1, $"{added:0.000} ms");
            report.AddCommand($"dotnet run --project bench/Faas.Bench -c Release -- docker-network ({GatewayDockerScenario.Image} twice: host network, and bridge {Network} with 8080 published on 127.0.0.1; dockerd {engineVersion} with --iptables=false)");
        }
        finally
        {
            await engine.RemoveLabelledAsync(Label);
            await engine.Networks.DeleteNetworkAsync(Network);
        }
    }

    private static CreateContainerParameters Container(string name, string network, Dictionary<string, string> environment, int? published) => new()
    {
        Name = $"faas-bench-{name}-{Guid.NewGuid().ToString("N")[..6]}",
        Image = GatewayDockerScenario.Image,
        Env = [.. environment.Select(pair => $"{pair.Key}={pair.Value}"), "healthcheck_interval=0"],
        Labels = new Dictionary<string, string> { [Label] = "1" },
        ExposedPorts = published is null ? null! : new Dictionary<string, EmptyStruct> { ["8080/tcp"] = default },
        HostConfig = new HostConfig
        {
            NetworkMode = network,
            PortBindings = published is not { } port ? null! : new Dictionary<string, IList<PortBinding>>
            {
                ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = Text(port) }],
            },
        },
    };

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
