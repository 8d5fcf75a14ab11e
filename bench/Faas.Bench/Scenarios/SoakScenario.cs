using System.Globalization;
using System.Text;
using Faas.Bench.Tools;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>soak</c>: BENCH_SOAK_MINUTES (default 10) minutes of mixed load on the published gateway with JetStream: each
/// minute, 50 s of wrk on an http-mode function (sync) and on an async route (the gateway's worker invokes a
/// forking function), then 10 s idle, then the RSS and open file descriptors of the gateway and of the http function's
/// watchdog are sampled. The slope over the minutes after the first (least squares) tells a leak from a warm-up:
/// memory that only grows in the first minute is caches and JIT, memory that keeps growing is a leak.
/// </summary>
internal static class SoakScenario
{
    private static readonly TimeSpan LoadPerMinute = TimeSpan.FromSeconds(50);
    private static readonly TimeSpan IdlePerMinute = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var minutes = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SOAK_MINUTES"), out var m) ? m : 10;
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayTarget.StartGatewayAsync(new Dictionary<string, string> { ["Gateway__Async__NatsUrl"] = nats.Url });
        // One replica each (min = max turns autoscaling off): one watchdog to follow, and a steady load on it.
        const string OneReplica = """ "labels":{"com.openfaas.scale.min":"1","com.openfaas.scale.max":"1"} """;
        await DeployAsync(gateway.Url, $$$"""{"service":"web","image":"local","envProcess":"{{{Binaries.TestUpstream}}}","envVars":{"mode":"http"},{{{OneReplica}}}}""");
        await DeployAsync(gateway.Url, $$"""{"service":"sink","image":"local","envProcess":"cat",{{OneReplica}}}""");
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/web/", TimeSpan.FromSeconds(30), () => "");
        // The http function's watchdog is the parent of its upstream (it may have been a standby: its environment does not say).
        var upstream = ProcessTable.DescendantsOf(gateway.Pid).Single(pid => ProcessTable.Executable(pid) == Binaries.TestUpstream);
        var watchdog = ProcessTable.ParentOf(upstream) ?? throw new InvalidOperationException("the function's watchdog is gone");
        using var script = new TempDirectory("faas-bench-soak-");
        var lua = script.Combine("post.lua");
        await File.WriteAllTextAsync(lua, "wrk.method = \"POST\"\nwrk.body = \"soak\"\n");

        var samples = new List<(int Minute, double GatewayRss, int GatewayFds, double WatchdogRss, int WatchdogFds, double SyncRps, double AsyncRps)>();
        for (var minute = 1; minute <= minutes; minute++)
        {
            var sync = Wrk.RunAsync(gateway.Url + "/function/web/", 1, 16, LoadPerMinute);
            var async = Wrk.RunAsync(gateway.Url + "/async-function/sink", 1, 4, LoadPerMinute, lua);
            var (syncResult, asyncResult) = (await sync, await async);
            await Task.Delay(IdlePerMinute);
            samples.Add((minute, ProcessMemory.RssMegabytes(gateway.Pid), OpenFiles(gateway.Pid), ProcessMemory.RssMegabytes(watchdog), OpenFiles(watchdog),
                syncResult.RequestsPerSecond, asyncResult.RequestsPerSecond));
            var last = samples[^1];
            Console.WriteLine($"  minute {minute}: gateway {last.GatewayRss:0.0} MB, {last.GatewayFds} fds; watchdog {last.WatchdogRss:0.0} MB, {last.WatchdogFds} fds; " +
                $"sync {last.SyncRps:0}/s, async {last.AsyncRps:0}/s, errors {syncResult.Errors + asyncResult.Errors}");
            report.AddRow(new()
            {
                ["minute"] = minute,
                ["gateway RSS MB"] = last.GatewayRss,
                ["gateway fds"] = last.GatewayFds,
                ["watchdog RSS MB"] = last.WatchdogRss,
                ["watchdog fds"] = last.WatchdogFds,
                ["sync req/s"] = last.SyncRps,
                ["async accepted/s"] = last.AsyncRps,
                ["errors"] = syncResult.Errors + asyncResult.Errors,
            });
        }

        var settled = samples.Skip(1).ToList();
        var gatewaySlope = Slope(settled.Select(s => ((double)s.Minute, s.GatewayRss)));
        var watchdogSlope = Slope(settled.Select(s => ((double)s.Minute, s.WatchdogRss)));
        var fdSlope = Math.Max(Slope(settled.Select(s => ((double)s.Minute, (double)s.GatewayFds))), Slope(settled.Select(s => ((double)s.Minute, (double)s.WatchdogFds))));
        report.AddGoal("gateway RSS grows under 1 MB a minute after the first (no leak)", gatewaySlope < 1, $"{gatewaySlope:+0.00;-0.00} MB/min");
        report.AddGoal("watchdog RSS grows under 0.5 MB a minute after the first (no leak)", watchdogSlope < 0.5, $"{watchdogSlope:+0.00;-0.00} MB/min");
        report.AddGoal("open file descriptors do not grow", fdSlope < 1, $"{fdSlope:+0.00;-0.00} fds/min (the larger of gateway and watchdog)");
        report.AddCommand($"{minutes} × (wrk -t1 -c16 -d50s GET /function/web/ (http mode, test-upstream) ∥ wrk -t1 -c4 -d50s POST /async-function/sink ('cat', worker on), then 10 s idle, then sample /proc/PID/status VmRSS and /proc/PID/fd); out/gateway with JetStream; slope by least squares over minutes 2..{minutes}");
    }

    private static int OpenFiles(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    /// <summary>Least-squares slope of y over x; 0 with fewer than two points.</summary>
    private static double Slope(IEnumerable<(double X, double Y)> points)
    {
        var list = points.ToList();
        if (list.Count < 2)
        {
            return 0;
        }

        var meanX = list.Average(p => p.X);
        var meanY = list.Average(p => p.Y);
        var covariance = list.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var variance = list.Sum(p => (p.X - meanX) * (p.X - meanX));
        return covariance / variance;
    }

    private static async Task DeployAsync(string gateway, string definition)
    {
        using var admin = GatewayTarget.AdminClient();
        using var body = new StringContent(definition, Encoding.UTF8, "application/json");
        using var deployed = await admin.PostAsync(gateway + "/system/functions", body);
        deployed.EnsureSuccessStatusCode();
    }
}
