using Faas.Bench;
using Faas.Bench.Scenarios;
using Faas.Bench.Tools;
using Faas.Harness;

// Usage: faas-bench [SCENARIO ...]   (default: all). Results: bench/results/<scenario>.json and .md, and bench/results/README.md.
var scenarios = new Dictionary<string, Func<BenchReport, BenchSettings, Task>>
{
    ["watchdog-http"] = ProxyPathScenario.RunWatchdogAsync,
    ["gateway"] = ProxyPathScenario.RunGatewayAsync,
    ["gateway-docker"] = GatewayDockerScenario.RunAsync,
    ["docker-network"] = DockerNetworkScenario.RunAsync,
    ["watchdog-streaming"] = WatchdogStreamingScenario.RunAsync,
    ["watchdog-start"] = WatchdogStartScenario.RunAsync,
    ["cold-start-local"] = ColdStartLocalScenario.RunAsync,
    ["cold-start-docker"] = ColdStartDockerScenario.RunAsync,
    ["gateway-list"] = GatewayListScenario.RunAsync,
    ["dev-loop"] = DevLoopScenario.RunAsync,
    ["async-enqueue"] = AsyncScenarios.RunEnqueueAsync,
    ["async-drain"] = AsyncScenarios.RunDrainAsync,
    ["autoscale"] = AutoscaleScenario.RunAsync,
    ["soak"] = SoakScenario.RunAsync,
    ["baseline"] = BaselineScenario.RunAsync,
    ["yarp"] = YarpScenario.RunAsync,
    ["kubernetes-idle"] = KubernetesIdleScenario.RunAsync,
    ["connectors"] = ConnectorsScenario.RunAsync,
    ["dashboard"] = DashboardScenario.RunAsync,
    ["gateway-aot"] = GatewayAotScenario.RunAsync,
    ["gateway-start"] = GatewayStartScenario.RunAsync,
    ["instructions"] = InstructionsScenario.RunAsync,
};

var selected = args.Length == 0 ? [.. scenarios.Keys] : args;
var unknown = selected.Where(name => !scenarios.ContainsKey(name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown scenario '{unknown[0]}': expected one of {string.Join(", ", scenarios.Keys)}");
    return 2;
}

var settings = BenchSettings.FromEnvironment();
var resultsDirectory = Path.Combine(RepoPaths.Root, "bench", "results");
foreach (var name in selected)
{
    Console.WriteLine($"== {name} ({settings.Rounds} rounds of {settings.Duration.TotalSeconds:0}s, {Environment.ProcessorCount} cores)");
    var report = new BenchReport(name);
    await scenarios[name](report, settings);
    report.Write(resultsDirectory);
    Console.WriteLine(report.ToMarkdown());
}

var summary = "# Benchmark results\n\nWritten by `make bench` (bench/Faas.Bench). Each section: machine, medians, goals, exact commands.\n\n" +
    string.Join("\n", Directory.GetFiles(resultsDirectory, "*.md").Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)).Order().Select(File.ReadAllText));
await File.WriteAllTextAsync(Path.Combine(resultsDirectory, "README.md"), summary);
return 0;
