using Faas.Bench.Tools;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>gateway-aot</c>: the framework-dependent gateway (every backend) beside the Native AOT one (local backend only,
/// <c>out/gateway-aot</c>), each with one http-mode function, in alternating rounds: req/s through each, and each
/// gateway's RSS once serving, right after the load, and once quiet again (the heap the load left returned).
/// </summary>
internal static class GatewayAotScenario
{
    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var direct = await Targets.StartUpstreamAsync();
        await using var jit = await GatewayTarget.StartAsync();
        await using var aot = await GatewayTarget.StartAsync(Binaries.GatewayAot);

        // Idle: 12 s after start, once Gateway:IdleMemoryCheck (5 s) has found the gateway quiet and returned start-up's garbage.
        await Task.Delay(TimeSpan.FromSeconds(12));
        var serving = ProcessMemory.RssMegabytes(aot.Pid);
        var servingJit = ProcessMemory.RssMegabytes(jit.Pid);
        var runs = await SideBySide.MeasureAsync(report, settings,
        [
            ("direct", direct.Url + "/", null),
            ("gateway jit", jit.Url + "/", jit.Pid),
            ("gateway aot", aot.Url + "/", aot.Pid),
        ], direct.Pid);

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
        report.AddCommand("make publish; dotnet run --project bench/Faas.Bench -c Release -- gateway-aot");
    }
}
