using System.Net.Http.Headers;
using System.Text;
using Faas.Bench.Tools;
using Faas.Posix;
using Faas.Harness;

namespace Faas.Bench.Scenarios;

/// <summary>
/// The published gateway (local backend, its own state, admin password "bench"). The gateway finds the watchdog
/// beside itself in out/.
/// </summary>
internal static class GatewayTarget
{
    /// <summary>One replica, held there (min = max turns autoscaling off): the path is measured, not the autoscaler adding replicas on 2 cores.</summary>
    private const string Deployment = "{\"service\":\"bench\",\"image\":\"local\",\"envProcess\":\"UPSTREAM\",\"envVars\":{\"mode\":\"http\"},"
        + "\"labels\":{\"com.openfaas.scale.min\":\"1\",\"com.openfaas.scale.max\":\"1\"}}";

    /// <summary>The gateway alone; the target URL is its root.</summary>
    /// <param name="settings">Extra environment, such as <c>Gateway__Async__NatsUrl</c>.</param>
    /// <param name="binary">Another published gateway (a baseline build, its watchdog beside it) instead of out/gateway.</param>
    /// <param name="launcher">What runs the gateway, such as <see cref="Callgrind.Launcher"/>; null runs it directly.</param>
    public static async Task<Target> StartGatewayAsync(IReadOnlyDictionary<string, string>? settings = null, string? binary = null, IReadOnlyList<string>? launcher = null)
    {
        var state = new TempDirectory("faas-bench-gateway-");
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string>
        {
            ["FAAS_STATE_DIR"] = state.Path,
            ["FAAS_ADMIN_PASSWORD"] = "bench",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var (program, arguments) = Targets.Command(binary ?? Binaries.Gateway, ["--urls", url], launcher);
        var process = ChildProcess.Start(program, arguments, environment);
        await TestHttp.WaitForOkAsync(url + "/healthz", Targets.StartTimeout(launcher) + TimeSpan.FromSeconds(10), () => process.Output);
        return new Target(process, port, state);
    }

    /// <summary>The gateway with one http-mode function whose upstream is the test upstream; the target URL is the function's route.</summary>
    public static async Task<Target> StartAsync(string? binary = null, IReadOnlyDictionary<string, string>? settings = null, IReadOnlyList<string>? launcher = null)
    {
        var gateway = await StartGatewayAsync(settings, binary, launcher);
        using var admin = AdminClient();
        using var body = new StringContent(Deployment.Replace("UPSTREAM", Binaries.TestUpstream, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        using var deployed = await admin.PostAsync(gateway.Url + "/system/functions", body);
        deployed.EnsureSuccessStatusCode();
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/bench/", Targets.StartTimeout(launcher) + TimeSpan.FromSeconds(10), () => "");
        return gateway.WithPath("/function/bench");
    }

    public static HttpClient AdminClient()
    {
        var admin = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:bench"u8.ToArray()));
        return admin;
    }
}
