using Faas.Harness;

namespace Faas.Bench.Tools;

/// <summary>
/// Request paths measured side by side in one run, saturated (wrk -t2 -c50) and unsaturated (-t1 -c1): rounds alternate
/// between the paths so that noise on this shared machine lands on all of them; medians go to the report. For a path
/// given its own PID, the CPU that process spends per request is reported too (see <see cref="ProcessCpu"/>).
/// </summary>
internal static class SideBySide
{
    private static readonly (string Name, int Threads, int Connections)[] Loads = [("saturated", 2, 50), ("unsaturated", 1, 1)];

    /// <param name="paths">Name, URL, and the PID whose memory and CPU are reported (else <paramref name="fallbackPid"/>'s memory alone).</param>
    public static async Task<Dictionary<(string Path, string Load), List<WrkResult>>> MeasureAsync(BenchReport report, BenchSettings settings,
        IReadOnlyList<(string Name, string Url, int? Pid)> paths, int fallbackPid)
    {
        // Before any load: what each process holds once started and serving (its function deployed and answered once).
        var idle = paths.ToDictionary(path => path.Name, path => ProcessMemory.RssMegabytes(path.Pid ?? fallbackPid));

        // Warm-up, not counted: these scenarios measure steady-state throughput; start-up has its own scenario.
        foreach (var (_, url, _) in paths)
        {
            await Wrk.RunAsync(url, 2, 50, settings.WarmUp);
        }

        var runs = new Dictionary<(string Path, string Load), List<WrkResult>>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            foreach (var (load, threads, connections) in Loads)
            {
                foreach (var (name, url, pid) in paths)
                {
                    var result = await MeasureOnceAsync(url, threads, connections, settings.Duration, pid);
                    report.AddCommand(result.Command.Replace(url, $"<{name}>", StringComparison.Ordinal));
                    runs.TryAdd((name, load), []);
                    runs[(name, load)].Add(result);
                    Console.WriteLine($"  round {round + 1} {name,-14} {load,-11} {result.RequestsPerSecond,10:0} req/s  p50 {result.P50Ms:0.000} ms  p99 {result.P99Ms:0.000} ms");
                }
            }
        }

        foreach (var (name, _, pid) in paths)
        {
            foreach (var (load, _, _) in Loads)
            {
                var results = runs[(name, load)];
                report.AddRow(new()
                {
                    ["path"] = name,
                    ["load"] = load,
                    ["req/s (median)"] = Stats.Median(results.Select(r => r.RequestsPerSecond)),
                    ["p50 ms"] = Stats.Median(results.Select(r => r.P50Ms)),
                    ["p99 ms"] = Stats.Median(results.Select(r => r.P99Ms)),
                    ["errors"] = results.Sum(r => r.Errors),
                    ["CPU µs/req user"] = CpuColumn(results.Select(r => r.UserMicrosecondsPerRequest)),
                    ["CPU µs/req sys"] = CpuColumn(results.Select(r => r.SystemMicrosecondsPerRequest)),
                    ["RSS MB before load"] = idle[name],
                    ["RSS MB after load"] = ProcessMemory.RssMegabytes(pid ?? fallbackPid),
                });
            }
        }

        return runs;
    }

    /// <summary>One wrk run, with the CPU <paramref name="pid"/> spent on it per request when a PID is given.</summary>
    private static async Task<WrkResult> MeasureOnceAsync(string url, int threads, int connections, TimeSpan duration, int? pid)
    {
        var before = pid is { } measured ? ProcessCpu.Read(measured) : default;
        var result = await Wrk.RunAsync(url, threads, connections, duration);
        if (pid is not { } process || result.Requests == 0)
        {
            return result;
        }

        var after = ProcessCpu.Read(process);
        return result with
        {
            UserMicrosecondsPerRequest = (after.UserSeconds - before.UserSeconds) * 1e6 / result.Requests,
            SystemMicrosecondsPerRequest = (after.SystemSeconds - before.SystemSeconds) * 1e6 / result.Requests,
        };
    }

    /// <summary>The median, rounded to a tenth of a microsecond (the clock's 10 ms ticks allow no finer); "-" for a path measured without its PID.</summary>
    private static object CpuColumn(IEnumerable<double?> values)
    {
        var measured = values.OfType<double>().ToList();
        return measured.Count == 0 ? "-" : Math.Round(Stats.Median(measured), 1);
    }

    public static double Median(Dictionary<(string, string), List<WrkResult>> runs, string path, string load, Func<WrkResult, double> value) =>
        Stats.Median(runs[(path, load)].Select(value));
}
