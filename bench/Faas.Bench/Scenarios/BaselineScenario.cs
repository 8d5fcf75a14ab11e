using Faas.Bench.Tools;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>baseline</c>: the invocation paths of this build beside those of an earlier one, in one run, to price a change
/// (a library swapped in, say). <c>BENCH_BASELINE_OUT</c> names a directory holding the earlier build's published
/// <c>watchdog</c> and <c>gateway</c> (e.g. <c>git worktree add /tmp/base REV &amp;&amp; make -C /tmp/base publish
/// OUT=/tmp/base-out</c>); <c>BENCH_BASELINE_LABEL</c> says what it is. Paths: direct, watchdog-http before and after,
/// gateway before and after (each gateway runs the watchdog beside it), rounds alternating as in every side-by-side run.
/// </summary>
internal static class BaselineScenario
{
    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var baseline = Environment.GetEnvironmentVariable("BENCH_BASELINE_OUT")
            ?? throw new InvalidOperationException("scenario baseline needs BENCH_BASELINE_OUT: a directory with an earlier build's published watchdog and gateway");
        var label = Environment.GetEnvironmentVariable("BENCH_BASELINE_LABEL") ?? baseline;
        await using var direct = await Targets.StartUpstreamAsync();
        await using var watchdogBefore = await Targets.StartWatchdogHttpAsync(binary: Path.Combine(baseline, "watchdog"));
        await using var watchdogAfter = await Targets.StartWatchdogHttpAsync();
        await using var gatewayBefore = await GatewayTarget.StartAsync(Path.Combine(baseline, "gateway"));
        await using var gatewayAfter = await GatewayTarget.StartAsync();
        var runs = await SideBySide.MeasureAsync(report, settings,
        [
            ("direct", direct.Url + "/", null),
            ("watchdog-http before", watchdogBefore.Url + "/", watchdogBefore.Pid),
            ("watchdog-http after", watchdogAfter.Url + "/", watchdogAfter.Pid),
            ("gateway before", gatewayBefore.Url + "/", gatewayBefore.Pid),
            ("gateway after", gatewayAfter.Url + "/", gatewayAfter.Pid),
        ], direct.Pid);

        foreach (var path in new[] { "watchdog-http", "gateway" })
        {
            var ratio = SideBySide.Median(runs, path + " after", "saturated", r => r.RequestsPerSecond) / SideBySide.Median(runs, path + " before", "saturated", r => r.RequestsPerSecond);
            report.AddGoal($"{path}: this build keeps at least 0.97x the saturated req/s of the baseline ({label})", ratio >= 0.97, $"{ratio:0.000}x");
        }

        report.AddCommand($"BENCH_BASELINE_OUT={baseline} BENCH_BASELINE_LABEL=\"{label}\" dotnet run --project bench/Faas.Bench -c Release -- baseline");
    }
}
