using System.Diagnostics;
using System.Text;
using Faas.Bench.Tools;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>gateway-list</c>: 5,000 function definitions at zero replicas deployed through the published gateway, then
/// <c>GET /system/functions</c> timed 30 times (after 3 warm-up calls) from request to the last byte.
/// </summary>
internal static class GatewayListScenario
{
    private const int Functions = 5000;
    private const int Calls = 30;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var gateway = await GatewayTarget.StartGatewayAsync();
        using var admin = GatewayTarget.AdminClient();
        var deployStarted = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Functions), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            var json = $$$"""{"service":"fn-{{{i}}}","image":"local","envProcess":"cat","labels":{"com.openfaas.scale.min":"0","team":"bench"},"envVars":{"INDEX":"{{{i}}}"}}""";
            using var body = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await admin.PostAsync(gateway.Url + "/system/functions", body, cancellationToken);
            response.EnsureSuccessStatusCode();
        });
        var deploySeconds = deployStarted.Elapsed.TotalSeconds;

        var times = new List<double>();
        long bytes = 0;
        for (var call = -3; call < Calls; call++)
        {
            var clock = Stopwatch.StartNew();
            var listed = await admin.GetByteArrayAsync(gateway.Url + "/system/functions");
            if (call >= 0)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            bytes = listed.Length;
        }

        var median = Stats.Median(times);
        Console.WriteLine($"  list {Functions}: median {median:0.0} ms, {bytes / 1024} KiB; deploy took {deploySeconds:0.0} s");
        report.AddRow(new()
        {
            ["functions"] = Functions,
            ["list median ms"] = median,
            ["min ms"] = times.Min(),
            ["max ms"] = times.Max(),
            ["response KiB"] = bytes / 1024.0,
            ["deploy all s"] = deploySeconds,
        });
        report.AddGoal("list 5,000 function definitions via GET /system/functions in under 200 ms (median)", median < 200, $"{median:0.0} ms");
        report.AddCommand($"POST /system/functions x{Functions} (8 at a time, com.openfaas.scale.min=0) to out/gateway, then GET /system/functions x{Calls} (3 warm-up calls first), timed to the last byte");
    }
}
