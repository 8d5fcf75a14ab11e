using System.Diagnostics;
using System.IO.Pipes;
using Faas.Bench.Tools;
using Faas.Posix;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>watchdog-start</c>: from exec of the published watchdog to its first 200 on <c>/_/health</c>, 20 times, and its
/// idle RSS one second after start. With <c>BENCH_BASELINE_OUT</c> (an earlier build's published watchdog) the two
/// start in turn, run by run, so their figures come from the same minutes of the machine.
/// </summary>
internal static class WatchdogStartScenario
{
    private const int Runs = 20;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var builds = new List<(string Label, string Binary, bool OnStdin)>
        {
            ("this build", Binaries.Watchdog, false),
            ("this build, the function's variables on stdin (as the local backend starts it)", Binaries.Watchdog, true),
        };
        if (Environment.GetEnvironmentVariable("BENCH_BASELINE_OUT") is { } baseline)
        {
            builds.Add(("baseline: " + (Environment.GetEnvironmentVariable("BENCH_BASELINE_LABEL") ?? baseline), Path.Combine(baseline, "watchdog"), false));
        }

        var startTimes = builds.ToDictionary(b => b.Label, _ => new List<double>());
        var idleRss = builds.ToDictionary(b => b.Label, _ => new List<double>());
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });
        for (var run = 0; run < Runs; run++)
        {
            foreach (var (label, binary, onStdin) in builds)
            {
                var (started, rss) = await StartOnceAsync(client, binary, onStdin);
                startTimes[label].Add(started);
                idleRss[label].Add(rss);
            }
        }

        foreach (var (label, _, _) in builds)
        {
            var median = Stats.Median(startTimes[label]);
            var rss = Stats.Median(idleRss[label]);
            Console.WriteLine($"  {label}: start median {median:0.0} ms (min {startTimes[label].Min():0.0}, max {startTimes[label].Max():0.0}); idle RSS {rss:0.0} MB");
            report.AddRow(new()
            {
                ["watchdog"] = label,
                ["runs"] = Runs,
                ["exec to first 200, median ms"] = median,
                ["min ms"] = startTimes[label].Min(),
                ["max ms"] = startTimes[label].Max(),
                ["idle RSS MB (median)"] = rss,
            });
        }

        var ours = builds[0].Label;
        var oursMedian = Stats.Median(startTimes[ours]);
        var oursRss = Stats.Median(idleRss[ours]);
        report.AddGoal("exec to first 200 on /_/health within 20 ms (median)", oursMedian <= 20, $"{oursMedian:0.0} ms");
        report.AddGoal("idle RSS within 12 MB", oursRss <= 12, $"{oursRss:0.0} MB");
        report.AddCommand("[BENCH_BASELINE_OUT=DIR] dotnet run --project bench/Faas.Bench -c Release -- watchdog-start " +
            "(posix_spawn out/watchdog, fprocess=cat, streaming, FAAS_READY_FD=3; on its report GET /_/health, expect 200; RSS 1 s later; 20 runs, builds in turn)");
    }

    /// <summary>
    /// Starts the watchdog as the local backend does, with a readiness pipe as its descriptor 3 (<c>FAAS_READY_FD</c>):
    /// on its report (or, from a build without one, after 2 s) <c>/_/health</c> is polled until 200, so the figure is
    /// not late by a polling delay (a 1 ms <c>Task.Delay</c> takes 2–6 ms on a busy 2-core host).
    /// </summary>
    /// <param name="onStdin">The function's variables (here <c>fprocess</c>) on stdin with <c>FAAS_ENVIRONMENT=stdin</c>, not in the environment.</param>
    private static async Task<(double StartMilliseconds, double IdleRssMegabytes)> StartOnceAsync(HttpClient client, string binary, bool onStdin)
    {
        using var temp = new TempDirectory("faas-bench-");
        var port = FreePort.Next();
        var info = new ProcessStartInfo(binary);
        info.Environment.Clear();
        foreach (var (name, value) in new Dictionary<string, string>
        {
            [onStdin ? "FAAS_ENVIRONMENT" : "fprocess"] = onStdin ? "stdin" : "cat",
            ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["metrics_port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["listen_address"] = "127.0.0.1",
            ["healthcheck_interval"] = "0",
            ["TMPDIR"] = temp.Path,
            ["PATH"] = "/usr/bin:/bin",
            ["FAAS_READY_FD"] = "3",
        })
        {
            info.Environment[name] = value;
        }

        var url = $"http://127.0.0.1:{port}/_/health";
        using var report = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        var clock = Stopwatch.StartNew();
        using var process = SpawnedProcess.Start(info, newSession: true, descriptors: [report.ClientSafePipeHandle]);
        report.DisposeLocalCopyOfClientHandle();
        if (onStdin)
        {
            process.StandardInput.Write("{\"fprocess\":\"cat\"}\n"u8);
        }

        var output = Task.WhenAll(process.StandardOutput.CopyToAsync(Stream.Null), process.StandardError.CopyToAsync(Stream.Null));
        try
        {
            await Task.WhenAny(report.ReadAsync(new byte[1]).AsTask(), Task.Delay(TimeSpan.FromSeconds(2)));
            while (!await IsOkAsync(client, url))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(20))
                {
                    throw new TimeoutException("watchdog did not become healthy");
                }

                await Task.Delay(1);
            }

            var started = clock.Elapsed.TotalMilliseconds;
            await Task.Delay(1000);
            return (started, ProcessMemory.RssMegabytes(process.Id));
        }
        finally
        {
            Signals.Send(process.Id, Signals.SigKill);
            await process.Exited;
            await output;
        }
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
