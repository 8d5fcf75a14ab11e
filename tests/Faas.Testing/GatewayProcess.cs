namespace Faas.Testing;

/// <summary>
/// The built gateway binary on a free loopback port, with the local backend on a temporary state directory running
/// the repository's watchdog; admin password fixed. Disposing it stops it by PID (which stops every replica) and
/// deletes the state.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    public const string AdminPassword = "test-admin";

    private readonly TempDirectory _state = new("faas-gateway-state-");
    private ChildProcess _process = null!;

    public string Url { get; private set; } = "";

    public string StateDirectory => _state.Path;

    public string Output => _process.Output;

    public static async Task<GatewayProcess> StartAsync()
    {
        var gateway = new GatewayProcess { Url = $"http://127.0.0.1:{FreePort.Next()}" };
        gateway._process = ChildProcess.Start(RepoPaths.Built("gateway/Faas.Gateway", "gateway"), ["--urls", gateway.Url], new Dictionary<string, string>
        {
            ["FAAS_STATE_DIR"] = gateway._state.Path,
            ["FAAS_ADMIN_PASSWORD"] = AdminPassword,
            ["Gateway__WatchdogPath"] = RepoPaths.Watchdog,
            ["Gateway__StandbyReplicas"] = "0",
        });
        await TestHttp.WaitForOkAsync(gateway.Url + "/healthz", TimeSpan.FromSeconds(30), () => gateway._process.Output);
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _state.Dispose();
    }
}
