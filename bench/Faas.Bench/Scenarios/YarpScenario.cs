using Faas.Bench.Tools;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>yarp</c>: the gateway's invocation path with each forwarder, side by side in one run: direct (wrk → upstream),
/// the gateway with ours (<c>Gateway:Forwarder=own</c>) and with YARP's <c>IHttpForwarder</c> (<c>yarp</c>), each in
/// front of the same watchdog and upstream. YARP would be adopted where it keeps 0.95x of ours.
/// </summary>
internal static class YarpScenario
{
    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var direct = await Targets.StartUpstreamAsync();
        await using var own = await GatewayTarget.StartAsync(settings: new Dictionary<string, string> { ["Gateway__Forwarder"] = "own" });
        await using var yarp = await GatewayTarget.StartAsync(settings: new Dictionary<string, string> { ["Gateway__Forwarder"] = "yarp" });
        var runs = await SideBySide.MeasureAsync(report, settings,
        [
            ("direct", direct.Url + "/", null),
            ("gateway own forwarder", own.Url + "/", own.Pid),
            ("gateway YARP forwarder", yarp.Url + "/", yarp.Pid),
        ], direct.Pid);

        var saturated = SideBySide.Median(runs, "gateway YARP forwarder", "saturated", r => r.RequestsPerSecond) / SideBySide.Median(runs, "gateway own forwarder", "saturated", r => r.RequestsPerSecond);
        var addedP50 = SideBySide.Median(runs, "gateway YARP forwarder", "unsaturated", r => r.P50Ms) - SideBySide.Median(runs, "gateway own forwarder", "unsaturated", r => r.P50Ms);
        report.AddGoal("YARP's forwarder keeps at least 0.95x our forwarder's saturated req/s (else ours stays the default)", saturated >= 0.95, $"{saturated:0.000}x");
        report.AddGoal("YARP's forwarder adds at most 0.02 ms at p50 unsaturated", addedP50 <= 0.02, $"{addedP50:0.000} ms");
        report.AddCommand("two published gateways (local backend, function 'bench': out/test-upstream in http mode behind the watchdog, one replica), Gateway__Forwarder=own and =yarp");
    }
}
