using System.Diagnostics;
using Faas.Bench.Tools;
using Faas.Provider;
using Faas.Provider.Local;
using Faas.Provider.Wire;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>cold-start-local</c>: a function at zero replicas on the local backend is scaled to one; measured from the
/// scale call to the first successful invocation, 20 times, for a streaming function (<c>cat</c>) and an
/// http-mode C# function (the Kestrel test upstream, published ReadyToRun). Each run starts from a settled platform
/// (as a function scaled to zero has been idle), first with no standby watchdog, then with one warm.
/// </summary>
internal static class ColdStartLocalScenario
{
    private const int Runs = 20;

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1.5);

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        foreach (var standby in new[] { 0, 1 })
        {
            await RunWithStandbyAsync(report, standby);
        }

        report.AddCommand("LocalProvider.ScaleAsync(1) on a function at 0 replicas (1.5 s after the previous run; StandbyReplicas 0, then 1), poll GetReadyEndpoints every 1 ms, POST to the replica until 200; 20 runs per function (out/watchdog, out/test-upstream)");
    }

    private static async Task RunWithStandbyAsync(BenchReport report, int standby)
    {
        using var state = new TempDirectory("faas-bench-state-");
        await using var provider = await LocalProvider.StartAsync(new LocalProviderOptions
        {
            StateDirectory = state.Path,
            WatchdogPath = Binaries.Watchdog,
            DrainDelay = TimeSpan.Zero,
            StandbyReplicas = standby,
        });
        var functions = new (string Name, FunctionDeployment Deployment)[]
        {
            ("streaming (cat)", new() { Service = "cold-cat", Image = "local", EnvProcess = "cat" }),
            ("http C# (Kestrel)", new() { Service = "cold-csharp", Image = "local", EnvProcess = Binaries.TestUpstream, EnvVars = new() { ["mode"] = "http" } }),
        };

        foreach (var (label, deployment) in functions)
        {
            var withZero = deployment with { Labels = new() { ["com.openfaas.scale.min"] = "0" } };
            await provider.DeployAsync(withZero, CancellationToken.None);
            var times = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                await Task.Delay(Settle);
                times.Add(await ColdStartAsync(provider, deployment.Service));
                await provider.ScaleAsync(new() { ServiceName = deployment.Service, Replicas = 0 }, CancellationToken.None);
            }

            var median = Stats.Median(times);
            Console.WriteLine($"  {label}, {standby} standby: median {median:0.0} ms (min {times.Min():0.0}, max {times.Max():0.0})");
            report.AddRow(new() { ["function"] = label, ["standby watchdogs"] = standby, ["runs"] = Runs, ["scale 0→1 to first 200, median ms"] = median, ["min ms"] = times.Min(), ["max ms"] = times.Max() });
            if (label.StartsWith("streaming", StringComparison.Ordinal))
            {
                var goal = standby == 0 ? 40 : 15;
                report.AddGoal($"streaming function cold start within {goal} ms (median) with {standby} standby watchdog(s)", median <= goal, $"{median:0.0} ms");
            }
        }
    }

    private static async Task<double> ColdStartAsync(IFunctionProvider provider, string name)
    {
        var key = new FunctionKey(name, "openfaas-fn");
        var clock = Stopwatch.StartNew();
        await provider.ScaleAsync(new() { ServiceName = name, Replicas = 1 }, CancellationToken.None);
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (provider.GetReadyEndpoints(key) is [var endpoint, ..])
            {
                using var response = await TestHttp.Client.PostAsync($"http://127.0.0.1:{endpoint.Port}/", new StringContent("x"));
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
            }

            await Task.Delay(1);
        }

        throw new TimeoutException($"{name} did not answer within 30 s of scaling up");
    }
}
