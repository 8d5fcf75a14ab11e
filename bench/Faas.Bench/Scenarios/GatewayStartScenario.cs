using System.Diagnostics;
using System.Text;
using Faas.Bench.Tools;
using Faas.Harness;
using Faas.Posix;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>gateway-start</c>: what a gateway start and stop cost, for the framework-dependent build and the native one, run by
/// run in turn. Three figures per run: exec to the first 200 on <c>/healthz</c> with an empty state directory; exec to
/// the first 200 from a function already deployed (its state restored, its replica started again: what a restart
/// costs callers); and SIGTERM to exit with that function running.
/// </summary>
internal static class GatewayStartScenario
{
    private const int Runs = 10;
    private const string Deployment = """{"service":"echo","image":"local","envProcess":"cat"}""";

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        (string Label, string Binary)[] builds = [("framework-dependent (out/gateway)", Binaries.Gateway), ("Native AOT (out/gateway-aot)", Binaries.GatewayAot)];
        var figures = builds.ToDictionary(b => b.Label, _ => (Healthy: new List<double>(), Invoked: new List<double>(), Stopped: new List<double>()));
        var deployed = new Dictionary<string, TempDirectory>();
        try
        {
            foreach (var (label, binary) in builds)
            {
                deployed[label] = await DeployOnceAsync(binary);
            }

            for (var run = 0; run < Runs; run++)
            {
                foreach (var (label, binary) in builds)
                {
                    using (var empty = new TempDirectory("faas-bench-start-"))
                    {
                        var (healthy, _) = await StartAsync(binary, empty.Path, "/healthz", stop: false);
                        figures[label].Healthy.Add(healthy);
                    }

                    using var restored = new TempDirectory("faas-bench-start-");
                    CopyDirectory(deployed[label].Path, restored.Path);
                    var (invoked, stopped) = await StartAsync(binary, restored.Path, "/function/echo", stop: true);
                    figures[label].Invoked.Add(invoked);
                    figures[label].Stopped.Add(stopped!.Value);
                }
            }
        }
        finally
        {
            foreach (var state in deployed.Values)
            {
                state.Dispose();
            }
        }

        foreach (var (label, _) in builds)
        {
            var (healthy, invoked, stopped) = figures[label];
            Console.WriteLine($"  {label}: /healthz {Stats.Median(healthy):0} ms, first invocation {Stats.Median(invoked):0} ms, stop {Stats.Median(stopped):0} ms");
            report.AddRow(new()
            {
                ["gateway"] = label,
                ["runs"] = Runs,
                ["exec to /healthz 200, median ms"] = Stats.Median(healthy),
                ["min–max ms"] = $"{healthy.Min():0}–{healthy.Max():0}",
                ["exec to a deployed function's first 200, median ms"] = Stats.Median(invoked),
                ["SIGTERM to exit, median ms"] = Stats.Median(stopped),
            });
        }

        report.AddCommand("dotnet run --project bench/Faas.Bench -c Release -- gateway-start (out/gateway and out/gateway-aot in turn, " +
            $"{Runs} runs; poll every 2 ms; the function {Deployment} deployed once into a state directory copied for each run; stop with it running)");
    }

    /// <summary>A state directory holding one deployed function (the gateway stopped again, so no replica runs).</summary>
    private static async Task<TempDirectory> DeployOnceAsync(string binary)
    {
        var state = new TempDirectory("faas-bench-start-");
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        await using var gateway = ChildProcess.Start(binary, ["--urls", url], Environment(state.Path));
        await TestHttp.WaitForOkAsync(url + "/healthz", TimeSpan.FromSeconds(30), () => gateway.Output);
        using var admin = GatewayTarget.AdminClient();
        using var body = new StringContent(Deployment, Encoding.UTF8, "application/json");
        (await admin.PostAsync(url + "/system/functions", body)).EnsureSuccessStatusCode();
        await TestHttp.WaitForOkAsync(url + "/function/echo", TimeSpan.FromSeconds(30), () => gateway.Output);
        gateway.Signal(Signals.SigTerm);
        if (!await gateway.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"the gateway did not stop: {gateway.Output}");
        }

        return state;
    }

    /// <returns>Milliseconds from exec to the first 200 on <paramref name="path"/>, and from SIGTERM to exit when <paramref name="stop"/> asks for it.</returns>
    private static async Task<(double Ready, double? Stopped)> StartAsync(string binary, string state, string path, bool stop)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });
        var clock = Stopwatch.StartNew();
        await using var gateway = ChildProcess.Start(binary, ["--urls", url], Environment(state));
        while (!await IsOkAsync(client, url + path))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{url + path} did not answer 200: {gateway.Output}");
            }

            await Task.Delay(2);
        }

        var ready = clock.Elapsed.TotalMilliseconds;
        if (!stop)
        {
            return (ready, null);
        }

        var stopping = Stopwatch.StartNew();
        gateway.Signal(Signals.SigTerm);
        if (!await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"the gateway did not stop: {gateway.Output}");
        }

        return (ready, stopping.Elapsed.TotalMilliseconds);
    }

    private static Dictionary<string, string> Environment(string state) => new()
    {
        ["FAAS_STATE_DIR"] = state,
        ["FAAS_ADMIN_PASSWORD"] = "bench",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private static async Task<bool> IsOkAsync(HttpClient client, string url)
    {
        try
        {
            using var response = url.EndsWith("/healthz", StringComparison.Ordinal) ? await client.GetAsync(url) : await client.PostAsync(url, new StringContent("hi"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Copies the state as it is, its private modes (0700, 0600) included.</summary>
    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)), File.GetUnixFileMode(directory));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
