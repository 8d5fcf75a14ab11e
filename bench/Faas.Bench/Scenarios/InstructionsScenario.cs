using Faas.Bench.Tools;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>instructions</c>: the user-space instructions a request costs the native watchdog (http mode, its function the
/// test upstream) and the native gateway (<c>out/gateway-aot</c>, a function behind it), counted by callgrind while wrk
/// drives each (<see cref="Connections"/> connections). A count, not a time: the machine's other load hardly moves
/// it, so a change on the invocation path's own code is priced in one run, where req/s needs many alternating rounds
/// and still swings 10–20% (bench/results/gateway.md). It sees neither the kernel's share of a hop (about 60% of its
/// CPU) nor cache misses. The watchdog's function and the gateway's replicas run outside valgrind and are not counted;
/// what a process does anyway (its timers) is, so a short run counts more per request (the gateway 66k in a 5 s round
/// against 51.6k in 10 s rounds): compare runs of the same length.
/// With <c>BENCH_BASELINE_OUT</c> (a directory with another build's <c>watchdog</c> and <c>gateway-aot</c>), that
/// build is counted too.
/// </summary>
internal static class InstructionsScenario
{
    private const int Connections = 4;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var baselineOut = Environment.GetEnvironmentVariable("BENCH_BASELINE_OUT");
        var baselineLabel = Environment.GetEnvironmentVariable("BENCH_BASELINE_LABEL") ?? baselineOut;
        List<(string Build, string Directory)> builds = [("this build", Binaries.Directory)];
        if (baselineOut is not null)
        {
            builds.Add(($"baseline ({baselineLabel})", baselineOut));
        }

        var counts = new Dictionary<(string Build, string Path), double>();
        foreach (var (build, directory) in builds)
        {
            using (var callgrind = new Callgrind())
            {
                await using var watchdog = await Targets.StartWatchdogHttpAsync(binary: Path.Combine(directory, "watchdog"), launcher: callgrind.Launcher);
                counts[(build, "watchdog")] = await CountAsync(report, settings, callgrind, watchdog, build, "watchdog");
            }

            var gatewayAot = Path.Combine(directory, "gateway-aot");
            if (!File.Exists(gatewayAot))
            {
                Console.WriteLine($"  {build}: no {gatewayAot} (make publish-gateway-aot builds it): its native gateway is not counted");
                continue;
            }

            using (var callgrind = new Callgrind())
            {
                await using var gateway = await GatewayTarget.StartAsync(gatewayAot, launcher: callgrind.Launcher);
                counts[(build, "gateway")] = await CountAsync(report, settings, callgrind, gateway, build, "gateway");
            }
        }

        foreach (var path in new[] { "watchdog", "gateway" })
        {
            if (baselineOut is not null && counts.TryGetValue(("this build", path), out var now) && counts.TryGetValue((builds[1].Build, path), out var before))
            {
                report.AddNote($"{path}: this build executes {now / before:0.000}x the baseline's user-space instructions per request");
            }
        }

        report.AddCommand(baselineOut is null
            ? "make publish; dotnet run --project bench/Faas.Bench -c Release -- instructions"
            : $"BENCH_BASELINE_OUT={baselineOut} BENCH_BASELINE_LABEL=\"{baselineLabel}\" dotnet run --project bench/Faas.Bench -c Release -- instructions");
    }

    /// <summary>A warm-up, then per round: counters zeroed, a wrk run, the count dumped and divided by its requests.</summary>
    private static async Task<double> CountAsync(BenchReport report, BenchSettings settings, Callgrind callgrind, Target target, string build, string path)
    {
        await Wrk.RunAsync(target.Url + "/", 1, Connections, settings.WarmUp);
        var perRequest = new List<double>();
        long requests = 0;
        for (var round = 0; round < settings.Rounds; round++)
        {
            await callgrind.ZeroAsync(target.Pid);
            var load = await Wrk.RunAsync(target.Url + "/", 1, Connections, settings.Duration);
            var instructions = await callgrind.DumpAsync(target.Pid);
            if (load.Errors > 0 || load.Requests == 0)
            {
                throw new InvalidOperationException($"{build} {path}: {load.Requests} requests, {load.Errors} errors under callgrind");
            }

            report.AddCommand(load.Command.Replace(target.Url + "/", $"<{path} under callgrind>", StringComparison.Ordinal));
            perRequest.Add((double)instructions / load.Requests);
            requests += load.Requests;
            Console.WriteLine($"  round {round + 1} {build} {path}: {load.Requests} requests, {instructions / load.Requests} instructions each");
        }

        var median = Stats.Median(perRequest);
        report.AddRow(new()
        {
            ["build"] = build,
            ["path"] = path,
            ["requests"] = requests,
            ["user-space instructions per request (median)"] = median,
            ["spread between rounds"] = $"{perRequest.Min():0}–{perRequest.Max():0}",
        });
        return median;
    }
}
