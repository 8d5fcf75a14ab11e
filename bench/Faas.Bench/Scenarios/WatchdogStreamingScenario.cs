using Faas.Bench.Tools;

namespace Faas.Bench.Scenarios;

/// <summary><c>watchdog-streaming</c>: a trivial process (<c>cat</c>) forked per request.</summary>
public static class WatchdogStreamingScenario
{
    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var watchdog = await Targets.StartWatchdogAsync(new() { ["fprocess"] = "cat", ["mode"] = "streaming" });
        await Wrk.RunAsync(watchdog.Url + "/", 2, 50, settings.WarmUp);
        foreach (var (load, threads, connections) in new[] { ("saturated", 2, 50), ("unsaturated", 1, 1) })
        {
            var results = new List<WrkResult>();
            for (var round = 0; round < settings.Rounds; round++)
            {
                var result = await Wrk.RunAsync(watchdog.Url + "/", threads, connections, settings.Duration);
                report.AddCommand(result.Command.Replace(watchdog.Url + "/", "<watchdog-streaming>", StringComparison.Ordinal));
                results.Add(result);
                Console.WriteLine($"  round {round + 1} {load,-11} {result.RequestsPerSecond,8:0} req/s  p50 {result.P50Ms:0.000} ms");
            }

            report.AddRow(new()
            {
                ["load"] = load,
                ["req/s (median)"] = Stats.Median(results.Select(r => r.RequestsPerSecond)),
                ["p50 ms"] = Stats.Median(results.Select(r => r.P50Ms)),
                ["p99 ms"] = Stats.Median(results.Select(r => r.P99Ms)),
                ["errors"] = results.Sum(r => r.Errors),
                ["RSS MB after load"] = ProcessMemory.RssMegabytes(watchdog.Pid),
            });
        }
    }
}
