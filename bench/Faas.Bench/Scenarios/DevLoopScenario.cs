using System.Diagnostics;
using Faas.Bench.Tools;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>dev-loop</c>: a csharp function made with <c>faas new</c>, deployed once, then changed 5 times; each time from
/// <c>faas up</c> starting to the new version answering through the gateway (polled every 20 ms). Published out/faas
/// and out/gateway.
/// </summary>
internal static class DevLoopScenario
{
    private const int Runs = 5;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var gateway = await GatewayTarget.StartGatewayAsync();
        using var project = new TempDirectory("faas-bench-devloop-");
        using var config = new TempDirectory("faas-bench-config-");
        var environment = new Dictionary<string, string> { ["FAAS_URL"] = gateway.Url, ["FAAS_CONFIG_DIR"] = config.Path, ["FAAS_ADMIN_PASSWORD"] = "bench" };
        await FaasAsync(["new", "loop", "--lang", "csharp"], project.Path, environment);
        await FaasAsync(["up"], project.Path, environment);
        var handler = Path.Combine(project.Path, "loop", "Handler.cs");
        var original = await File.ReadAllTextAsync(handler);

        var times = new List<double>();
        for (var run = 1; run <= Runs; run++)
        {
            var marker = $"version {run}";
            await File.WriteAllTextAsync(handler, original.Replace("Hello from C#", marker, StringComparison.Ordinal));
            var clock = Stopwatch.StartNew();
            await FaasAsync(["up"], project.Path, environment);
            while (!(await TryInvokeAsync(gateway.Url + "/function/loop")).Contains(marker, StringComparison.Ordinal))
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException($"the new version ({marker}) never answered");
                }

                await Task.Delay(20);
            }

            times.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"  run {run}: {clock.Elapsed.TotalSeconds:0.00} s");
        }

        var median = Stats.Median(times);
        report.AddRow(new() { ["template"] = "csharp", ["runs"] = Runs, ["faas up → new version answers, median s"] = median, ["min s"] = times.Min(), ["max s"] = times.Max() });
        report.AddGoal("dev loop (faas up of a changed csharp function until the new version answers) under 10 s (median)", median < 10, $"{median:0.00} s");
        report.AddCommand("out/faas new loop --lang csharp; out/faas up; then 5x: edit loop/Handler.cs, out/faas up, POST /function/loop every 20 ms until the new text answers (against out/gateway)");
    }

    private static async Task FaasAsync(string[] arguments, string directory, Dictionary<string, string> environment)
    {
        await using var faas = ChildProcess.Start(Path.Combine(Binaries.Directory, "faas"), arguments, environment, directory);
        if (!await faas.WaitForExitAsync(TimeSpan.FromMinutes(3)) || faas.ExitCode != 0)
        {
            throw new InvalidOperationException($"faas {string.Join(' ', arguments)} failed: {faas.Output}");
        }
    }

    private static async Task<string> TryInvokeAsync(string url)
    {
        try
        {
            using var response = await TestHttp.Client.PostAsync(url, new StringContent("bench"));
            return await response.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }
}
