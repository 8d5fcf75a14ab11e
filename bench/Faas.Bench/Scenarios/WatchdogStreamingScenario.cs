using Faas.Bench.Tools;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>watchdog-streaming</c>: a trivial process (<c>cat</c>) forked per request; beside it, the machine's floor,
/// the time the shell itself needs to fork and exec <c>cat</c>. With <c>BENCH_BASELINE_OUT</c> (an earlier build's
/// published watchdog) the two take turns, round by round, so their figures come from the same minutes of the machine.
/// </summary>
internal static class WatchdogStreamingScenario
{
    private const int ForkFloorRuns = 200;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var floor = await ForkFloorMillisecondsAsync();
        report.AddCommand($"sh -c 'for i in $(seq {ForkFloorRuns}); do cat </dev/null; done'  (fork floor: elapsed / {ForkFloorRuns})");
        report.AddRow(new() { ["load"] = "floor: sh forks cat", ["p50 ms"] = floor });

        var builds = new List<(string Label, string Binary)> { ("this build", Binaries.Watchdog) };
        if (Environment.GetEnvironmentVariable("BENCH_BASELINE_OUT") is { } baseline)
        {
            builds.Add(("baseline: " + (Environment.GetEnvironmentVariable("BENCH_BASELINE_LABEL") ?? baseline), Path.Combine(baseline, "watchdog")));
        }

        var watchdogs = new List<Target>();
        try
        {
            foreach (var (_, binary) in builds)
            {
                watchdogs.Add(await Targets.StartWatchdogAsync(new() { ["fprocess"] = "cat", ["mode"] = "streaming" }, binary));
                await Wrk.RunAsync(watchdogs[^1].Url + "/", 2, 50, settings.WarmUp);
            }

            foreach (var (load, threads, connections) in new[] { ("saturated", 2, 50), ("unsaturated", 1, 1) })
            {
                var results = builds.Select(_ => new List<WrkResult>()).ToList();
                for (var round = 0; round < settings.Rounds; round++)
                {
                    for (var build = 0; build < builds.Count; build++)
                    {
                        var result = await Wrk.RunAsync(watchdogs[build].Url + "/", threads, connections, settings.Duration);
                        report.AddCommand(result.Command.Replace(watchdogs[build].Url + "/", "<watchdog-streaming>", StringComparison.Ordinal));
                        results[build].Add(result);
                        Console.WriteLine($"  round {round + 1} {builds[build].Label,-12} {load,-11} {result.RequestsPerSecond,8:0} req/s  p50 {result.P50Ms:0.000} ms");
                    }
                }

                for (var build = 0; build < builds.Count; build++)
                {
                    report.AddRow(new()
                    {
                        ["load"] = builds.Count == 1 ? load : $"{load}, {builds[build].Label}",
                        ["req/s (median)"] = Stats.Median(results[build].Select(r => r.RequestsPerSecond)),
                        ["p50 ms"] = Stats.Median(results[build].Select(r => r.P50Ms)),
                        ["p99 ms"] = Stats.Median(results[build].Select(r => r.P99Ms)),
                        ["errors"] = results[build].Sum(r => r.Errors),
                        ["RSS MB after load"] = ProcessMemory.RssMegabytes(watchdogs[build].Pid),
                    });
                }
            }
        }
        finally
        {
            foreach (var watchdog in watchdogs)
            {
                await watchdog.DisposeAsync();
            }
        }

        if (builds.Count > 1)
        {
            report.AddCommand($"BENCH_BASELINE_OUT={Environment.GetEnvironmentVariable("BENCH_BASELINE_OUT")} BENCH_BASELINE_LABEL=\"{builds[1].Label["baseline: ".Length..]}\" dotnet run --project bench/Faas.Bench -c Release -- watchdog-streaming");
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
