using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Faas.Bench.Tools;
using Faas.Posix;
using Faas.Harness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>async-enqueue</c>: wrk POSTs to <c>/async-function/sink</c> of the published gateway with JetStream (a real
/// nats-server on loopback), the worker off so only accepting is measured. <c>async-drain</c>: 10,000 requests
/// queued to a trivial function with one replica, invoked by the gateway's worker and called back to a receiver
/// here; invocations per second from the first enqueue to the last callback, and enqueue-to-callback latency.
/// </summary>
internal static class AsyncScenarios
{
    private const int DrainRequests = 10_000;

    public static async Task RunEnqueueAsync(BenchReport report, BenchSettings settings)
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayTarget.StartGatewayAsync(new Dictionary<string, string>
        {
            ["Gateway__Async__NatsUrl"] = nats.Url,
            ["Gateway__Async__RunWorker"] = "false",
        });
        await DeployAsync(gateway.Url, "sink");
        using var script = new TempDirectory("faas-bench-wrk-");
        var lua = script.Combine("post.lua");
        await File.WriteAllTextAsync(lua, "wrk.method = \"POST\"\nwrk.body = \"{\\\"order\\\": 42}\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");

        await Wrk.RunAsync(gateway.Url + "/async-function/sink", 2, 50, settings.WarmUp, lua);
        var rounds = new List<WrkResult>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            rounds.Add(await Wrk.RunAsync(gateway.Url + "/async-function/sink", 2, 50, settings.Duration, lua));
            Console.WriteLine($"  round {round + 1}: {rounds[^1].RequestsPerSecond:0} accepted/s, p50 {rounds[^1].P50Ms:0.###} ms, p99 {rounds[^1].P99Ms:0.###} ms, errors {rounds[^1].Errors}");
        }

        var median = Stats.Median(rounds.Select(r => r.RequestsPerSecond));
        report.AddRow(new()
        {
            ["load"] = "wrk -t2 -c50 POST",
            ["accepted/s (median)"] = median,
            ["p50 ms"] = Stats.Median(rounds.Select(r => r.P50Ms)),
            ["p99 ms"] = Stats.Median(rounds.Select(r => r.P99Ms)),
            ["errors"] = rounds.Sum(r => r.Errors),
        });
        report.AddGoal("at least 5,000 accepted async requests/s (median)", median >= 5000, $"{median:0}/s");
        report.AddCommand(rounds[0].Command.Replace(gateway.Url, "<gateway>", StringComparison.Ordinal) + " (post.lua: POST a 14-byte JSON body; JetStream file storage; worker off)");
    }

    public static async Task RunDrainAsync(BenchReport report, BenchSettings settings)
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var gateway = await GatewayTarget.StartGatewayAsync(new Dictionary<string, string> { ["Gateway__Async__NatsUrl"] = nats.Url });
        await DeployAsync(gateway.Url, "drain");
        var callbackUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var accepted = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentBag<double>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder(["--urls", callbackUrl]);
        builder.Logging.ClearProviders();
        var receiver = builder.Build();
        receiver.MapPost("/done", (HttpContext context) =>
        {
            if (accepted.TryGetValue(context.Request.Headers["X-Call-Id"].ToString(), out var at))
            {
                latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                if (latencies.Count >= DrainRequests)
                {
                    done.TrySetResult();
                }
            }
        });
        await receiver.StartAsync();

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, DrainRequests), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, cancellationToken) =>
        {
            var callId = $"drain-{i}";
            using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/async-function/drain") { Content = new StringContent("x") };
            request.Headers.Add("X-Call-Id", callId);
            request.Headers.Add("X-Callback-Url", callbackUrl + "/done");
            accepted[callId] = Stopwatch.GetTimestamp();
            using var response = await TestHttp.Client.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
        });
        var enqueued = clock.Elapsed;
        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        var drained = clock.Elapsed;
        await receiver.StopAsync();
        await receiver.DisposeAsync();

        var sorted = latencies.Order().ToArray();
        var rate = DrainRequests / drained.TotalSeconds;
        Console.WriteLine($"  {DrainRequests} requests: enqueued in {enqueued.TotalSeconds:0.0} s, all called back after {drained.TotalSeconds:0.0} s ({rate:0}/s)");
        report.AddRow(new()
        {
            ["requests"] = DrainRequests,
            ["enqueued in s"] = enqueued.TotalSeconds,
            ["last callback at s"] = drained.TotalSeconds,
            ["invocations/s"] = rate,
            ["enqueue→callback p50 ms"] = sorted[sorted.Length / 2],
            ["enqueue→callback p99 ms"] = sorted[(int)(sorted.Length * 0.99)],
        });
        report.AddCommand($"{DrainRequests} POST /async-function/drain (32 at a time, X-Callback-Url to a receiver on loopback) to out/gateway with JetStream; function 'cat', one replica, worker max_inflight 16");
    }

    private static async Task DeployAsync(string gateway, string name)
    {
        using var admin = GatewayTarget.AdminClient();
        using var body = new StringContent($$"""{"service":"{{name}}","image":"local","envProcess":"cat"}""", Encoding.UTF8, "application/json");
        using var deployed = await admin.PostAsync(gateway + "/system/functions", body);
        deployed.EnsureSuccessStatusCode();
        await TestHttp.WaitForOkAsync($"{gateway}/function/{name}", TimeSpan.FromSeconds(30), () => "");
    }
}
