using Faas.Bench.Tools;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>watchdog-streaming</c>: a trivial process (<c>cat</c>) forked per request; beside it, the machine's floor,
/// the time the shell itself needs to fork and exec <c>cat</c>.
/// </summary>
internal static class WatchdogStreamingScenario
{
    private const int ForkFloorRuns = 200;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var floor = await ForkFloorMillisecondsAsync();
        report.AddCommand($"sh -c 'for i in $(seq {ForkFloorRuns}); do cat </dev/null; done'  (fork floor: elapsed / {ForkFloorRuns})");
        report.AddRow(new() { ["load"] = "floor: sh forks cat", ["p50 ms"] = floor });

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

    private static async Task<double> ForkFloorMillisecondsAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var shell = Faas.Harness.ChildProcess.Start("/bin/sh", ["-c", $"for i in $(seq {ForkFloorRuns}); do cat </dev/null; done"]);
        await shell.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return clock.Elapsed.TotalMilliseconds / ForkFloorRuns;
    }
}
