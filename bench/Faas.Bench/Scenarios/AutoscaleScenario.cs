using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Faas.Bench.Tools;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>autoscale</c>: a <c>capacity</c> function (target 2 in flight per replica, 1-4 replicas, each call 1 s) on the
/// published gateway's local backend, autoscaler at its defaults but a 5 s stabilization window. A burst of 8
/// concurrent callers: time from its start until 4 replicas are ready; then from its end until back to 1. 3 runs.
/// </summary>
internal static class AutoscaleScenario
{
    private const int Runs = 3;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        await using var gateway = await GatewayTarget.StartGatewayAsync(new Dictionary<string, string> { ["Gateway__Autoscaling__StabilizationWindow"] = "00:00:05" });
        using var admin = GatewayTarget.AdminClient();
        const string deployment = """{"service":"burst","image":"local","envProcess":"sleep 1","labels":{"com.openfaas.scale.type":"capacity","com.openfaas.scale.target":"2","com.openfaas.scale.max":"4"}}""";
        using (var deployed = await admin.PostAsync(gateway.Url + "/system/functions", new StringContent(deployment, Encoding.UTF8, "application/json")))
        {
            deployed.EnsureSuccessStatusCode();
        }

        await TestHttp.WaitForOkAsync(gateway.Url + "/function/burst", TimeSpan.FromSeconds(30), () => "");
        var ups = new List<double>();
        var downs = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            await WaitForAsync(admin, gateway.Url, available => available == 1, TimeSpan.FromSeconds(60));
            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/burst", new StringContent(""));
                }
            })).ToList();
            await WaitForAsync(admin, gateway.Url, available => available == 4, TimeSpan.FromSeconds(30));
            var up = clock.Elapsed.TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(2));
            await stop.CancelAsync();
            await Task.WhenAll(callers);
            var ended = Stopwatch.StartNew();
            await WaitForAsync(admin, gateway.Url, available => available == 1, TimeSpan.FromSeconds(60));
            ups.Add(up);
            downs.Add(ended.Elapsed.TotalSeconds);
            Console.WriteLine($"  run {run + 1}: burst → 4 ready in {up:0.00} s; load end → 1 replica in {downs[^1]:0.00} s");
        }

        var medianUp = Stats.Median(ups);
        report.AddRow(new()
        {
            ["function"] = "capacity, target 2, 1-4 replicas, 1 s calls",
            ["burst → 4 ready, median s"] = medianUp,
            ["load end → 1 replica, median s"] = Stats.Median(downs),
            ["stabilization window s"] = 5,
            ["interval s"] = 1,
        });
        report.AddGoal("scale-up reaction within 2 s of the burst (median, to all 4 replicas ready)", medianUp <= 2, $"{medianUp:0.00} s");
        report.AddCommand("8 concurrent callers POSTing /function/burst (sleep 1) on out/gateway; poll /system/function/burst every 50 ms for availableReplicas; 3 runs");
    }

    private static async Task WaitForAsync(HttpClient admin, string gateway, Func<int, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var status = await admin.GetFromJsonAsync<JsonElement>(gateway + "/system/function/burst");
            if (condition(status.GetProperty("availableReplicas").GetInt32()) && condition(status.GetProperty("replicas").GetInt32()))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the function did not reach the expected replicas");
    }
}
