using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Docker;
using Faas.Bench.Tools;
using Faas.Provider.Docker.Containers;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>gateway-docker</c>: the <c>gateway</c> path with the replica in a container beside the same path with a local
/// replica, side by side in one run: wrk → gateway (local backend) → watchdog → test upstream, and wrk → gateway
/// (Docker backend, host network) → the same watchdog and upstream in a container.
/// </summary>
internal static class GatewayDockerScenario
{
    internal const string Image = "faas-bench/upstream:1";

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var daemon = await DockerDaemon.StartAsync();
        using var engine = daemon.Client();
        var engineVersion = (await engine.System.GetVersionAsync()).Version;
        await BaseImages.ImportWatchdogAsync(engine);
        await BuildUpstreamImageAsync(engine);
        try
        {
            await using var local = await GatewayTarget.StartAsync();
            await using var docker = await StartDockerGatewayAsync(daemon.Socket);
            var runs = await SideBySide.MeasureAsync(report, settings,
                [("gateway→local", local.Url + "/", local.Pid), ("gateway→container", docker.Url + "/", docker.Pid)], local.Pid);

            var ratio = SideBySide.Median(runs, "gateway→container", "saturated", r => r.RequestsPerSecond) / SideBySide.Median(runs, "gateway→local", "saturated", r => r.RequestsPerSecond);
            var added = SideBySide.Median(runs, "gateway→container", "unsaturated", r => r.P50Ms) - SideBySide.Median(runs, "gateway→local", "unsaturated", r => r.P50Ms);
            report.AddGoal("a containerised replica serves at least 0.9x a local one through the gateway (saturated req/s)", ratio >= 0.9, $"{ratio:0.000}x");
            report.AddGoal("a containerised replica adds at most 0.1 ms at p50 unsaturated", added <= 0.1, $"{added:0.000} ms");
            report.AddCommand($"two published gateways, one per backend, each with function 'bench' (http mode, out/test-upstream; in the container: {Image} = {BaseImages.Watchdog} + out/test-upstream, host network); dockerd {engineVersion}");
        }
        finally
        {
            await engine.RemoveLabelledAsync(ContainerLabels.Managed);
        }
    }

    /// <summary>The Docker-backend gateway with the function pinned to one replica, as the local one is (see <see cref="GatewayTarget"/>).</summary>
    private static async Task<Target> StartDockerGatewayAsync(string socket)
    {
        var gateway = await GatewayTarget.StartGatewayAsync(new Dictionary<string, string>
        {
            // Host networking, as the local backend's replicas run: this compares the backends, docker-network the networks.
            ["Gateway__Provider"] = "docker", ["Gateway__Docker__Socket"] = socket, ["Gateway__Docker__Network"] = "host",
        });
        using var admin = GatewayTarget.AdminClient();
        using var body = new StringContent($$$"""{"service":"bench","image":"{{{Image}}}","labels":{"com.openfaas.scale.min":"1","com.openfaas.scale.max":"1"}}""", Encoding.UTF8, "application/json");
        using var deployed = await admin.PostAsync(gateway.Url + "/system/functions", body);
        deployed.EnsureSuccessStatusCode();
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/bench/", TimeSpan.FromSeconds(60), () => "");
        return gateway.WithPath("/function/bench");
    }

    /// <summary>The watchdog image plus the test upstream as an http-mode function on 127.0.0.1:8082 (as OpenFaaS templates fix it; on the host network the backend gives it $PORT).</summary>
    internal static async Task BuildUpstreamImageAsync(IDockerClient engine)
    {
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            var dockerfile = $"FROM {BaseImages.Watchdog}\nCOPY test-upstream /usr/bin/test-upstream\nENV fprocess=/usr/bin/test-upstream mode=http PORT=8082 upstream_url=http://127.0.0.1:8082\n";
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) });
            await tar.WriteEntryAsync(Binaries.TestUpstream, "test-upstream");
        }

        context.Position = 0;
        var progress = new EngineProgress();
        await engine.Images.BuildImageFromDockerfileAsync(new ImageBuildParameters { Tags = [Image], Remove = true }, context, null, null, progress);
        progress.ThrowIfFailed($"build {Image}");
    }
}
