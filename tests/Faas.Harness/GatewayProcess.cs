using Faas.Posix;
namespace Faas.Harness;

/// <summary>
/// The built gateway binary on a free loopback port (its dashboard on another), with the local backend on a temporary state directory running
/// the repository's watchdog; admin password fixed. It can be killed outright and started again on the same state and
/// port, as a crash and a restart would. Disposing it stops it by PID (which stops every replica) and deletes the state.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    public const string AdminPassword = "test-admin";

    private readonly TempDirectory _state = new("faas-gateway-state-");
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _binary;
    private readonly string? _workingDirectory;
    private readonly bool _interruptIgnored;
    private readonly string? _inheritedFile;
    private ChildProcess _process = null!;
    private bool _killed;

    private GatewayProcess(IReadOnlyDictionary<string, string> settings, string? binary, string? workingDirectory, bool interruptIgnored, string? inheritedFile)
    {
        _settings = settings;
        _binary = binary ?? RepoPaths.Built("gateway/Faas.Gateway", "gateway");
        _workingDirectory = workingDirectory;
        _interruptIgnored = interruptIgnored;
        _inheritedFile = inheritedFile;
        Url = $"http://127.0.0.1:{FreePort.Next()}";
        DashboardUrl = $"http://127.0.0.1:{FreePort.Next()}";
    }

    public string Url { get; }

    /// <summary>The dashboard's own address (<c>Gateway:Dashboard:Url</c>).</summary>
    public string DashboardUrl { get; }

    public int Pid => _process.Pid;

    public string StateDirectory => _state.Path;

    public string Output => _process.Output;

    /// <param name="settings">Extra environment, e.g. <c>Gateway__Async__NatsUrl</c>.</param>
    /// <param name="binary">Another gateway executable (the Native AOT one in out/) instead of the build output.</param>
    /// <param name="workingDirectory">Where it is started (the test's own working directory otherwise).</param>
    /// <param name="interruptIgnored">Start it with SIGINT ignored, as a shell script's <c>gateway &amp;</c> does.</param>
    /// <param name="inheritedFile">A file it inherits open, as <see cref="ChildProcess.Start"/> says.</param>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null, string? binary = null, string? workingDirectory = null,
        bool interruptIgnored = false, string? inheritedFile = null)
    {
        var gateway = new GatewayProcess(settings ?? new Dictionary<string, string>(), binary, workingDirectory, interruptIgnored, inheritedFile);
        try
        {
            await gateway.StartProcessAsync();
        }
        catch
        {
            // A gateway that did not come up is stopped, and its state directory goes, before the test sees the failure.
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    /// <summary>
    /// Runs the gateway binary on a fresh state directory with <paramref name="settings"/> as extra environment, for a
    /// start-up that must fail: its exit code and output once it has exited (a timeout if it keeps running).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IReadOnlyDictionary<string, string> settings, string? binary = null)
    {
        using var state = new TempDirectory("faas-gateway-state-");
        var environment = new Dictionary<string, string>(settings) { ["FAAS_STATE_DIR"] = state.Path };
        await using var gateway = ChildProcess.Start(binary ?? RepoPaths.Built("gateway/Faas.Gateway", "gateway"), ["--urls", $"http://127.0.0.1:{FreePort.Next()}"], environment);
        return await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30))
            ? (gateway.ExitCode, gateway.Output)
            : throw new TimeoutException($"the gateway kept running: {gateway.Output}");
    }

    /// <summary>A client that sends the admin credentials.</summary>
    public static HttpClient AdminClient()
    {
        var admin = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
        return admin;
    }

    /// <summary>Deploys <paramref name="definition"/> (a function definition in JSON); throws unless it is accepted.</summary>
    public async Task DeployAsync(string definition)
    {
        using var admin = AdminClient();
        using var deployed = await admin.PostAsync(Url + "/system/functions", new StringContent(definition, System.Text.Encoding.UTF8, "application/json"));
        if (deployed.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"deploying {definition} answered {(int)deployed.StatusCode}: {await deployed.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>POSTs an empty body to the function; its answer, or an exception naming the status and the gateway's output.</summary>
    public async Task<string> InvokeAsync(string function)
    {
        using var response = await TestHttp.Client.PostAsync(Url + "/function/" + function, new StringContent(""));
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == System.Net.HttpStatusCode.OK
            ? body
            : throw new InvalidOperationException($"{function} answered {(int)response.StatusCode}: {body}\n{Output}");
    }

    /// <summary>SIGKILL, no chance to clean up, then a new gateway process on the same state directory and port.</summary>
    public async Task KillAndRestartAsync()
    {
        await KillAsync();
        await StartAgainAsync();
    }

    /// <summary>SIGKILL, no chance to clean up; <see cref="StartAgainAsync"/> starts it again.</summary>
    public async Task KillAsync()
    {
        _process.Signal(9);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
        _killed = true;
    }

    /// <summary>SIGTERM, as a service manager stops it; whether it exited within <paramref name="timeout"/>, and how.</summary>
    public async Task<(bool Exited, int ExitCode)> StopAsync(TimeSpan timeout)
    {
        _process.Signal(15);
        var exited = await _process.WaitForExitAsync(timeout);
        return (exited, exited ? _process.ExitCode : -1);
    }

    /// <summary>A new gateway process on the same state directory and port.</summary>
    public Task StartAgainAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        // A gateway stops its replicas as it shuts down, which may take longer than ChildProcess' grace under load.
        if (!_killed && _process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Signal(15);
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            await _process.DisposeAsync();
        }

        // If it had to be killed after all, its replicas go as its next start would reap them, before the state goes.
        Faas.Provider.Local.Replicas.OrphanReaper.KillLeftovers(Path.Combine(_state.Path, "run"));
        _state.Dispose();
    }

    private async Task StartProcessAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["FAAS_STATE_DIR"] = _state.Path,
            ["FAAS_ADMIN_PASSWORD"] = AdminPassword,
            ["Gateway__Local__WatchdogPath"] = RepoPaths.Watchdog,
            ["Gateway__Local__StandbyReplicas"] = "0",
            ["Gateway__Local__SandboxReadOnlyPaths__0"] = RepoPaths.Root,
            ["Gateway__Dashboard__Url"] = DashboardUrl,
        };
        foreach (var (name, value) in _settings)
        {
            environment[name] = value;
        }

        _process = ChildProcess.Start(_binary, ["--urls", Url], environment, _workingDirectory, _interruptIgnored, _inheritedFile);
        _killed = false;
        await TestHttp.WaitForOkAsync(Url + "/healthz", TimeSpan.FromSeconds(30), () => _process.Output);
    }
}
