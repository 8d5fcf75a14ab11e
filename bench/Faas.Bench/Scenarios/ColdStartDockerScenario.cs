using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Bench.Tools;
using Faas.Posix;
using Faas.Provider;
using Faas.Provider.Docker;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Definitions;
using Faas.Provider.Wire;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>cold-start-docker</c>: a function at zero replicas on the Docker backend is scaled to one; measured from the scale
/// call to the first successful invocation, 10 times (a streaming <c>cat</c> on the watchdog image). Then the same
/// container, made by hand with the backend's own spec, timed step by step: create, start, ready (the watchdog's
/// <c>/_/health</c> answers 200), first 200 — to show where the time goes.
/// </summary>
internal static class ColdStartDockerScenario
{
    private const int Runs = 10;

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var daemon = await DockerDaemon.StartAsync();
        using var engine = daemon.Client();
        var engineVersion = (await engine.System.GetVersionAsync()).Version;
        await BaseImages.ImportWatchdogAsync(engine);
        using var state = new TempDirectory("faas-bench-state-");
        var deployment = new FunctionDeployment { Service = "cold-docker", Image = BaseImages.Watchdog, EnvProcess = "cat", Namespace = "openfaas-fn", Labels = new() { ["com.openfaas.scale.min"] = "0" } };
        var options = new DockerProviderOptions { Socket = daemon.Socket, StateDirectory = state.Path, DrainDelay = TimeSpan.Zero, StopGrace = TimeSpan.FromSeconds(1) };

        var endToEnd = new List<double>();
        await using (var provider = await DockerProvider.StartAsync(options))
        {
            await provider.DeployAsync(deployment, CancellationToken.None);
            for (var run = 0; run < Runs; run++)
            {
                await Task.Delay(Settle);
                endToEnd.Add(await ColdStartAsync(provider, deployment.Service));
                await provider.ScaleAsync(new() { ServiceName = deployment.Service, Replicas = 0 }, CancellationToken.None);
            }

            await provider.DeleteAsync(deployment.Service, "", CancellationToken.None);
        }

        var image = await engine.Images.InspectImageAsync(BaseImages.Watchdog);
        var version = new ContainerVersion(deployment, DateTimeOffset.UtcNow, image.ID, ContainerVersion.ParseEnvironment(image.Config?.Env), null);
        var steps = new List<(double Create, double Start, double Ready, double First)>();
        for (var run = 0; run < Runs; run++)
        {
            await Task.Delay(Settle);
            steps.Add(await StepsAsync(engine, version, options));
        }

        var median = Stats.Median(endToEnd);
        Console.WriteLine($"  scale 0→1 to first 200: median {median:0} ms (min {endToEnd.Min():0}, max {endToEnd.Max():0})");
        report.AddRow(new() { ["measure"] = "scale 0→1 to first 200 (provider)", ["runs"] = Runs, ["median ms"] = median, ["min ms"] = endToEnd.Min(), ["max ms"] = endToEnd.Max() });
        foreach (var (label, select) in new (string, Func<(double Create, double Start, double Ready, double First), double>)[]
        {
            ("container create", s => s.Create), ("container start", s => s.Start), ("start → /_/health 200", s => s.Ready), ("ready → first 200", s => s.First),
        })
        {
            var values = steps.Select(select).ToList();
            report.AddRow(new() { ["measure"] = label, ["runs"] = Runs, ["median ms"] = Stats.Median(values), ["min ms"] = values.Min(), ["max ms"] = values.Max() });
        }

        report.AddGoal("Docker cold start (scale 0→1 to first successful invocation) under 1 s (median)", median < 1000, $"{median:0} ms");
        report.AddCommand($"DockerProvider.ScaleAsync(1) on a function at 0 replicas ({BaseImages.Watchdog}: out/watchdog + busybox, fprocess cat, host network), poll GetReadyEndpoints every 1 ms, POST until 200; then POST /containers/create, POST /containers/ID/start, GET /_/health until 200, POST / — {Runs} runs each, 1 s apart; dockerd {engineVersion} (storage driver vfs unless /var/run/docker.sock answered)");
    }

    private static async Task<double> ColdStartAsync(IFunctionProvider provider, string name)
    {
        var key = new FunctionKey(name, "openfaas-fn");
        var clock = Stopwatch.StartNew();
        await provider.ScaleAsync(new() { ServiceName = name, Replicas = 1 }, CancellationToken.None);
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (provider.GetReadyEndpoints(key) is [var endpoint, ..] && await AnswersAsync(endpoint.Port))
            {
                return clock.Elapsed.TotalMilliseconds;
            }

            await Task.Delay(1);
        }

        throw new TimeoutException($"{name} did not answer within 60 s of scaling up");
    }

    private static async Task<(double, double, double, double)> StepsAsync(IDockerClient engine, ContainerVersion version, DockerProviderOptions options)
    {
        var port = FreePort.Next();
        var name = ContainerNames.NewReplica(version.Key);
        var spec = ReplicaSpec.Create(version, options, name, ContainerNames.InstanceOf(name), port);
        var clock = Stopwatch.StartNew();
        var id = (await engine.Containers.CreateContainerAsync(spec)).ID;
        var created = clock.Elapsed.TotalMilliseconds;
        await engine.Containers.StartContainerAsync(id, new ContainerStartParameters());
        var started = clock.Elapsed.TotalMilliseconds;
        while (!await HealthyAsync(port))
        {
            await Task.Delay(1);
        }

        var ready = clock.Elapsed.TotalMilliseconds;
        while (!await AnswersAsync(port))
        {
            await Task.Delay(1);
        }

        var first = clock.Elapsed.TotalMilliseconds;
        await engine.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
        return (created, started - created, ready - started, first - ready);
    }

    private static async Task<bool> HealthyAsync(int port)
    {
        try
        {
            using var response = await TestHttp.Client.GetAsync($"http://127.0.0.1:{port}/_/health");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        try
        {
            using var response = await TestHttp.Client.PostAsync($"http://127.0.0.1:{port}/", new StringContent("x"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
