using Faas.Bench.Tools;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>gateway-aot</c>: the framework-dependent gateway (every backend) beside the Native AOT one (local backend only,
/// <c>out/gateway-aot</c>), each with one http-mode function, in alternating rounds: req/s through each, and each
/// gateway's RSS once serving, right after the load, and once quiet again (the heap the load left returned).
/// With <c>BENCH_BASELINE_OUT</c> (a directory holding another build's <c>gateway-aot</c> and <c>watchdog</c>, such as
/// one published with <c>-p:FaasAotMethodOrder=</c>: ILC's default code layout), that native gateway runs beside them.
/// </summary>
internal static class GatewayAotScenario
{
    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var direct = await Targets.StartUpstreamAsync();
        await using var jit = await GatewayTarget.StartAsync();
        await using var aot = await GatewayTarget.StartAsync(Binaries.GatewayAot);
        var baselineOut = Environment.GetEnvironmentVariable("BENCH_BASELINE_OUT");
        var baselineLabel = Environment.GetEnvironmentVariable("BENCH_BASELINE_LABEL") ?? baselineOut;
        await using var baseline = baselineOut is null ? null : await GatewayTarget.StartAsync(Path.Combine(baselineOut, "gateway-aot"));

        // Idle: 12 s after start, once Gateway:IdleMemoryCheck (5 s) has found the gateway quiet and returned start-up's garbage.
        await Task.Delay(TimeSpan.FromSeconds(12));
        var serving = ProcessMemory.RssMegabytes(aot.Pid);
        var servingJit = ProcessMemory.RssMegabytes(jit.Pid);
        var servingBaseline = baseline is null ? 0 : ProcessMemory.RssMegabytes(baseline.Pid);
        List<(string, string, int?)> paths =
        [
            ("direct", direct.Url + "/", null),
            ("gateway jit", jit.Url + "/", jit.Pid),
            ("gateway aot", aot.Url + "/", aot.Pid),
        ];
        if (baseline is not null)
        {
            paths.Add(("gateway aot baseline", baseline.Url + "/", baseline.Pid));
        }

        var runs = await SideBySide.MeasureAsync(report, settings, paths, direct.Pid);

        var ratio = SideBySide.Median(runs, "gateway aot", "saturated", r => r.RequestsPerSecond) / SideBySide.Median(runs, "gateway jit", "saturated", r => r.RequestsPerSecond);
        var ofDirect = SideBySide.Median(runs, "gateway aot", "saturated", r => r.RequestsPerSecond) / SideBySide.Median(runs, "direct", "saturated", r => r.RequestsPerSecond);
        var afterLoad = ProcessMemory.RssMegabytes(aot.Pid);

        // Gateway:IdleMemoryCheck (5 s) notices the quiet within two checks and returns the heap the load left behind.
        await Task.Delay(TimeSpan.FromSeconds(12));
        var quietAot = ProcessMemory.RssMegabytes(aot.Pid);
        var quietJit = ProcessMemory.RssMegabytes(jit.Pid);
        report.AddGoal("native gateway: at least 0.25x direct saturated", ofDirect >= 0.25, $"{ofDirect:0.000}x ({ratio:0.000}x the JIT gateway's req/s)");
        report.AddGoal("native gateway idle (one function deployed, quiet 12 s) at most 30 MB", serving <= 30, $"{serving:0.0} MB (the JIT gateway: {servingJit:0.0} MB)");
        report.AddGoal("native gateway right after load at most 45 MB", afterLoad <= 45, $"{afterLoad:0.0} MB");
        report.AddGoal("native gateway quiet again (12 s after load) at most 45 MB", quietAot <= 45, $"{quietAot:0.0} MB (the JIT gateway: {quietJit:0.0} MB)");
        if (baseline is not null)
        {
            var ofBaseline = SideBySide.Median(runs, "gateway aot", "saturated", r => r.RequestsPerSecond) / SideBySide.Median(runs, "gateway aot baseline", "saturated", r => r.RequestsPerSecond);
            report.AddGoal($"native gateway keeps at least 0.97x the saturated req/s of the baseline ({baselineLabel})", ofBaseline >= 0.97,
                $"{ofBaseline:0.000}x; the baseline idle {servingBaseline:0.0} MB, quiet after load {ProcessMemory.RssMegabytes(baseline.Pid):0.0} MB");
            report.AddCommand($"BENCH_BASELINE_OUT={baselineOut} BENCH_BASELINE_LABEL=\"{baselineLabel}\" dotnet run --project bench/Faas.Bench -c Release -- gateway-aot");
        }
        else
        {
            report.AddCommand("make publish; dotnet run --project bench/Faas.Bench -c Release -- gateway-aot");
        }
    }
}
