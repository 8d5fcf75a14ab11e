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
/// http-mode C# function (the Kestrel test upstream, published ReadyToRun) and one built from the csharp template
/// (Native AOT, its default). Each run starts from a settled platform (as a function scaled to zero has been idle),
/// first with no standby watchdog, then with one warm.
/// </summary>
internal static class ColdStartLocalScenario
{
    private const int Runs = 20;

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1.5);

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var template = await BuildCsharpTemplateAsync();
        foreach (var standby in new[] { 0, 1 })
        {
            await RunWithStandbyAsync(report, standby, template);
        }

        report.AddCommand("LocalProvider.ScaleAsync(1) on a function at 0 replicas (1.5 s after the previous run; StandbyReplicas 0, then 1), wait for a ready endpoint on the provider's endpoint feed (as the gateway's scale from zero does), POST to the replica, expect 200; 20 runs per function (out/watchdog, out/test-upstream, templates/csharp published to out/bench-csharp/app)");
    }

    /// <summary>The csharp template with its skeleton handler, published as the template builds it (Native AOT); its executable.</summary>
    private static async Task<string> BuildCsharpTemplateAsync()
    {
        // Under out/, not /tmp: the local backend's sandbox hides /tmp from functions.
        var directory = Path.Combine(RepoPaths.Root, "out", "bench-csharp");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "templates", "csharp"), "*", SearchOption.AllDirectories)
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")))
        {
            var target = Path.Combine(directory, Path.GetRelativePath(Path.Combine(RepoPaths.Root, "templates", "csharp"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        await using var publish = ChildProcess.Start("dotnet", ["publish", "Function.csproj", "-c", "Release", "-o", "app", "--nologo", "-v", "quiet"], workingDirectory: directory);
        if (!await publish.WaitForExitAsync(TimeSpan.FromMinutes(5)) || publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"the csharp template did not build: {publish.Output}");
        }

        return Path.Combine(directory, "app", "Function");
    }

    private static async Task RunWithStandbyAsync(BenchReport report, int standby, string csharpTemplate)
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
            ("http C# (csharp template, Native AOT)", new() { Service = "cold-template", Image = "local", EnvProcess = csharpTemplate, EnvVars = new() { ["mode"] = "http" } }),
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
            else if (label.Contains("Native AOT", StringComparison.Ordinal))
            {
                report.AddGoal($"csharp template (Native AOT) cold start within 100 ms (median) with {standby} standby watchdog(s)", median <= 100, $"{median:0.0} ms");
            }
        }
    }

    /// <summary>
    /// Waits for the replica as the gateway's scale from zero does, on the provider's endpoint feed, then invokes it directly.
    /// </summary>
    private static async Task<double> ColdStartAsync(IFunctionProvider provider, string name)
    {
        var key = new FunctionKey(name, "openfaas-fn");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ready = FirstReadyAsync(provider, key, limit.Token);
        var clock = Stopwatch.StartNew();
        await provider.ScaleAsync(new() { ServiceName = name, Replicas = 1 }, CancellationToken.None);
        var endpoint = await ready;
        using var response = await TestHttp.Client.PostAsync($"http://127.0.0.1:{endpoint.Port}/", new StringContent("x"), limit.Token);
        return response.IsSuccessStatusCode
            ? clock.Elapsed.TotalMilliseconds
            : throw new InvalidOperationException($"{name}'s first invocation answered {(int)response.StatusCode}");
    }

    /// <summary>The function's first ready replica, from the feed subscribed to when this is called (before the scale call).</summary>
    private static async Task<ReplicaEndpoint> FirstReadyAsync(IFunctionProvider provider, FunctionKey key, CancellationToken cancellationToken)
    {
        await foreach (var change in provider.WatchEndpointsAsync(cancellationToken))
        {
            if (change.Function == key && change.Ready is [var endpoint, ..])
            {
                return endpoint;
            }
        }

        throw new InvalidOperationException("the endpoint feed ended");
    }
}
