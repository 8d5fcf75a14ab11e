using System.Diagnostics;
using Faas.Bench.Tools;
using Faas.Posix;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>watchdog-start</c>: from exec of the published watchdog to its first 200 on <c>/_/health</c>, 20 times;
/// and its idle RSS one second after start.
/// </summary>
internal static class WatchdogStartScenario
{
    private const int Runs = 20;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var startTimes = new List<double>();
        var idleRss = new List<double>();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });
        for (var run = 0; run < Runs; run++)
        {
            using var temp = new TempDirectory("faas-bench-");
            var port = FreePort.Next();
            var environment = new Dictionary<string, string>
            {
                ["fprocess"] = "cat",
                ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["metrics_port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["listen_address"] = "127.0.0.1",
                ["healthcheck_interval"] = "0",
                ["TMPDIR"] = temp.Path,
            };
            var url = $"http://127.0.0.1:{port}/_/health";
            var clock = Stopwatch.StartNew();
            await using var process = ChildProcess.Start(Binaries.Watchdog, [], environment);
            while (!await IsOkAsync(client, url))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(20))
                {
                    throw new TimeoutException($"watchdog did not become healthy: {process.Output}");
                }

                await Task.Delay(1);
            }

            startTimes.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(1000);
            idleRss.Add(ProcessMemory.RssMegabytes(process.Pid));
        }

        var median = Stats.Median(startTimes);
        var rss = Stats.Median(idleRss);
        Console.WriteLine($"  start median {median:0.0} ms (min {startTimes.Min():0.0}, max {startTimes.Max():0.0}); idle RSS {rss:0.0} MB");
        report.AddCommand("exec out/watchdog (fprocess=cat, streaming) and poll GET /_/health every 1 ms until 200; 20 runs");
        report.AddRow(new()
        {
            ["runs"] = Runs,
            ["exec to first 200, median ms"] = median,
            ["min ms"] = startTimes.Min(),
            ["max ms"] = startTimes.Max(),
            ["idle RSS MB (median)"] = rss,
        });
        report.AddGoal("exec to first 200 on /_/health under 150 ms (median)", median < 150, $"{median:0.0} ms");
        report.AddGoal("idle RSS under 40 MB", rss < 40, $"{rss:0.0} MB");
    }

    private static async Task<bool> IsOkAsync(HttpClient client, string url)
    {
        try
        {
            using var response = await client.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
