using Faas.Bench.Tools;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// Request paths measured side by side in one run: <c>direct</c> (wrk → upstream, the baseline),
/// <c>watchdog-http</c> (wrk → watchdog in http mode → the same upstream program) and <c>gateway</c>
/// (wrk → gateway → watchdog → upstream). Scenario <c>watchdog-http</c> runs the first two, <c>gateway</c> all three.
/// Each also puts nginx in the measured hop's place (in front of the upstream, or of the watchdog): what the field's
/// C proxy reaches on this machine. <c>watchdog-http</c> also runs a watchdog with <c>log_level=warn</c>, to price the
/// per-request log line; <c>gateway</c> two watchdogs in a row (wrk → watchdog → watchdog → upstream), a gateway hop
/// as lean as the watchdog's, and a gateway with its fast path off (Kestrel's path for every request). Rounds alternate between the paths so that noise on this shared machine lands on all of
/// them; medians are reported.
/// </summary>
internal static class ProxyPathScenario
{
    public static Task RunWatchdogAsync(BenchReport report, BenchSettings settings) => RunAsync(report, settings, withGateway: false);

    public static Task RunGatewayAsync(BenchReport report, BenchSettings settings) => RunAsync(report, settings, withGateway: true);

    private static async Task RunAsync(BenchReport report, BenchSettings settings, bool withGateway)
    {
        await using var direct = await Targets.StartUpstreamAsync();
        await using var watchdog = await Targets.StartWatchdogHttpAsync();
        await using var quietWatchdog = withGateway ? null : await Targets.StartWatchdogHttpAsync(logLevel: "warn");
        await using var gateway = withGateway ? await GatewayTarget.StartAsync() : null;
        await using var kestrelGateway = withGateway ? await GatewayTarget.StartAsync(settings: new Dictionary<string, string> { ["Gateway__FastPath"] = "false" }) : null;
        await using var chained = withGateway ? await Targets.StartWatchdogInFrontOfAsync(watchdog) : null;
        await using var nginx = await NginxTarget.StartInFrontOfAsync(withGateway ? watchdog : direct);
        var nginxPath = withGateway ? "nginx in the gateway's place" : "nginx in the watchdog's place";
        var paths = new List<(string Name, string Url, int? Pid)>
        {
            ("direct", direct.Url + "/", direct.Pid),
            ("watchdog-http", watchdog.Url + "/", watchdog.Pid),
        };
        if (quietWatchdog is not null)
        {
            paths.Add(("watchdog-http log_level=warn", quietWatchdog.Url + "/", quietWatchdog.Pid));
        }

        if (gateway is not null)
        {
            var idleRss = ProcessMemory.RssMegabytes(gateway.Pid);
            report.AddGoal("gateway idle RSS under 80 MB", idleRss < 80, $"{idleRss:0.0} MB");
            paths.Add(("gateway", gateway.Url + "/", gateway.Pid));
            paths.Add(("gateway Gateway:FastPath=false", kestrelGateway!.Url + "/", kestrelGateway.Pid));
            paths.Add(("watchdog behind a watchdog", chained!.Url + "/", chained.Pid));
        }

        paths.Add((nginxPath, nginx.Url + "/", nginx.Pid));

        var runs = await SideBySide.MeasureAsync(report, settings, paths, direct.Pid);
        if (!withGateway)
        {
            // The issue's memory goal for a replica's watchdog; idle_memory_check (5 s) returns the heap once it is quiet.
            var afterLoad = ProcessMemory.RssMegabytes(watchdog.Pid);
            await Task.Delay(TimeSpan.FromSeconds(12));
            var quiet = ProcessMemory.RssMegabytes(watchdog.Pid);
            report.AddGoal("watchdog-http RSS right after the load at most 20 MB", afterLoad <= 20, $"{afterLoad:0.0} MB");
            report.AddGoal("watchdog-http RSS quiet again (12 s after the load) at most 20 MB", quiet <= 20, $"{quiet:0.0} MB");
        }

        var rpsRatio = Median(runs, "watchdog-http", "saturated", r => r.RequestsPerSecond) / Median(runs, "direct", "saturated", r => r.RequestsPerSecond);
        var addedP50 = Median(runs, "watchdog-http", "unsaturated", r => r.P50Ms) - Median(runs, "direct", "unsaturated", r => r.P50Ms);
        report.AddGoal("watchdog-http saturated req/s at least 0.4x direct", rpsRatio >= 0.4, $"{rpsRatio:0.000}x");
        report.AddGoal("watchdog-http adds at most 0.2 ms at p50 unsaturated", addedP50 <= 0.2, $"{addedP50:0.000} ms");
        var nginxRatio = Median(runs, nginxPath, "saturated", r => r.RequestsPerSecond) / Median(runs, "direct", "saturated", r => r.RequestsPerSecond);
        var measured = withGateway ? "gateway" : "watchdog-http";
        var oursToNginx = Median(runs, measured, "saturated", r => r.RequestsPerSecond) / Median(runs, nginxPath, "saturated", r => r.RequestsPerSecond);
        report.AddNote($"{nginxPath} reaches {nginxRatio:0.000}x direct saturated; {measured} reaches {oursToNginx:0.000}x of nginx (nginx's RSS columns are its master process alone, without its workers)");
        report.AddNote($"CPU per request saturated, the hop's process alone: {measured} {CpuPerRequest(runs, measured)}, nginx (master and workers) {CpuPerRequest(runs, nginxPath)}; "
            + $"the upstream {CpuPerRequest(runs, "direct")} when reached directly");
        if (quietWatchdog is not null)
        {
            var logged = Median(runs, "watchdog-http", "saturated", r => r.RequestsPerSecond) / Median(runs, "watchdog-http log_level=warn", "saturated", r => r.RequestsPerSecond);
            report.AddGoal("a log line per request (the default) keeps at least 0.9x the saturated req/s of log_level=warn", logged >= 0.9, $"{logged:0.000}x");
        }

        if (gateway is not null)
        {
            var fullRatio = Median(runs, "gateway", "saturated", r => r.RequestsPerSecond) / Median(runs, "direct", "saturated", r => r.RequestsPerSecond);
            var gatewayHop = Median(runs, "gateway", "unsaturated", r => r.P50Ms) - Median(runs, "watchdog-http", "unsaturated", r => r.P50Ms);
            report.AddGoal("full path (gateway) saturated req/s at least 0.25x direct", fullRatio >= 0.25, $"{fullRatio:0.000}x");
            report.AddGoal("the gateway hop adds at most 0.3 ms at p50 unsaturated", gatewayHop <= 0.3, $"{gatewayHop:0.000} ms");
            var chainedRatio = Median(runs, "watchdog behind a watchdog", "saturated", r => r.RequestsPerSecond) / Median(runs, "direct", "saturated", r => r.RequestsPerSecond);
            report.AddNote($"two watchdogs in a row (a gateway hop as lean as the watchdog's) reach {chainedRatio:0.000}x direct saturated; the gateway reaches {fullRatio / chainedRatio:0.000}x of that");
            var kestrelPath = "gateway Gateway:FastPath=false";
            var fastToKestrel = Median(runs, "gateway", "saturated", r => r.RequestsPerSecond) / Median(runs, kestrelPath, "saturated", r => r.RequestsPerSecond);
            report.AddNote($"the gateway's fast path: {fastToKestrel:0.000}x the saturated req/s of Kestrel's path (Gateway:FastPath=false); CPU per request {CpuPerRequest(runs, "gateway")} against {CpuPerRequest(runs, kestrelPath)}");
        }
    }

    private static string CpuPerRequest(Dictionary<(string, string), List<WrkResult>> runs, string path)
    {
        var user = Median(runs, path, "saturated", r => r.UserMicrosecondsPerRequest ?? double.NaN);
        var system = Median(runs, path, "saturated", r => r.SystemMicrosecondsPerRequest ?? double.NaN);
        return $"{user + system:0.0} µs (user {user:0.0}, kernel {system:0.0})";
    }

    private static double Median(Dictionary<(string, string), List<WrkResult>> runs, string path, string load, Func<WrkResult, double> value) =>
        SideBySide.Median(runs, path, load, value);
}
