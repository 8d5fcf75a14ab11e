using Faas.Bench.Tools;
using Faas.Testing;

namespace Faas.Bench.Scenarios;

/// <summary>
/// Request paths measured side by side in one run: <c>direct</c> (wrk → upstream, the baseline) and
/// <c>watchdog-http</c> (wrk → watchdog in http mode → the same upstream program). Rounds alternate between
/// the paths so that noise on this shared machine lands on both; medians are reported.
/// </summary>
public static class ProxyPathScenario
{
    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var direct = await Targets.StartUpstreamAsync();
        await using var watchdog = await Targets.StartWatchdogHttpAsync();
        var paths = new (string Name, string Url, int? Pid)[]
        {
            ("direct", direct.Url + "/", null),
            ("watchdog-http", watchdog.Url + "/", watchdog.Pid),
        };
        var loads = new (string Name, int Threads, int Connections)[] { ("saturated", 2, 50), ("unsaturated", 1, 1) };

        // Warm-up, not counted: these scenarios measure steady-state throughput; start-up has its own scenario.
        foreach (var (_, url, _) in paths)
        {
            await Wrk.RunAsync(url, 2, 50, settings.WarmUp);
        }

        var runs = new Dictionary<(string Path, string Load), List<WrkResult>>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            foreach (var (load, threads, connections) in loads)
            {
                foreach (var (name, url, _) in paths)
                {
                    var result = await Wrk.RunAsync(url, threads, connections, settings.Duration);
                    report.AddCommand(result.Command.Replace(url, $"<{name}>", StringComparison.Ordinal));
                    runs.TryAdd((name, load), []);
                    runs[(name, load)].Add(result);
                    Console.WriteLine($"  round {round + 1} {name,-14} {load,-11} {result.RequestsPerSecond,10:0} req/s  p50 {result.P50Ms:0.000} ms  p99 {result.P99Ms:0.000} ms");
                }
            }
        }

        foreach (var (name, _, pid) in paths)
        {
            foreach (var (load, _, _) in loads)
            {
                var results = runs[(name, load)];
                report.AddRow(new()
                {
                    ["path"] = name,
                    ["load"] = load,
                    ["req/s (median)"] = Stats.Median(results.Select(r => r.RequestsPerSecond)),
                    ["p50 ms"] = Stats.Median(results.Select(r => r.P50Ms)),
                    ["p99 ms"] = Stats.Median(results.Select(r => r.P99Ms)),
                    ["errors"] = results.Sum(r => r.Errors),
                    ["RSS MB after load"] = pid is int p ? ProcessMemory.RssMegabytes(p) : ProcessMemory.RssMegabytes(direct.Pid),
                });
            }
        }

        var rpsRatio = Median(runs, "watchdog-http", "saturated", r => r.RequestsPerSecond) / Median(runs, "direct", "saturated", r => r.RequestsPerSecond);
        var addedP50 = Median(runs, "watchdog-http", "unsaturated", r => r.P50Ms) - Median(runs, "direct", "unsaturated", r => r.P50Ms);
        report.AddGoal("watchdog-http saturated req/s at least 0.4x direct", rpsRatio >= 0.4, $"{rpsRatio:0.00}x");
        report.AddGoal("watchdog-http adds at most 0.2 ms at p50 unsaturated", addedP50 <= 0.2, $"{addedP50:0.000} ms");
    }

    private static double Median(Dictionary<(string, string), List<WrkResult>> runs, string path, string load, Func<WrkResult, double> value) =>
        Stats.Median(runs[(path, load)].Select(value));
}
