using System.Net.Http.Json;
using System.Text;
using Faas.Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Faas.Gateway.Tests;

/// <summary>
/// The real gateway app in this process on a free 127.0.0.1 port (its dashboard on another), with the local backend on a temporary state
/// directory running the real watchdog. Disposing it stops the gateway (and so every replica) and deletes the state.
/// </summary>
public sealed class GatewayFixture : IAsyncDisposable
{
    private readonly TempDirectory _state = new("faas-gateway-");
    private WebApplication _app = null!;
    private Action<GatewayOptions>? _configure;
    private IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();
    private Action<Faas.Gateway.Configuration.AsyncOptions>? _configureAsync;

    public string Url { get; private set; } = "";

    /// <summary>The dashboard's own address (<see cref="DashboardOptions.Url"/>).</summary>
    public string DashboardUrl { get; private set; } = "";

    /// <summary>A client that sends the admin credentials (the password the gateway generated in its state directory).</summary>
    public HttpClient Admin { get; private set; } = null!;

    public string AdminPassword { get; private set; } = "";

    public string StateDirectory => _state.Path;

    /// <summary>What the gateway warned about so far (across restarts): put it in a failed assertion's message.</summary>
    public CapturedWarnings Warnings { get; } = new();

    /// <summary>The running gateway's services (for driving its background services directly).</summary>
    public IServiceProvider Services => _app.Services;

    /// <param name="configure">Changes to the test defaults (no standby replicas, a 5 s upstream timeout).</param>
    /// <param name="configureAsync">Async settings (the in-process queue unless a NATS URL is set).</param>
    /// <param name="settings">Configuration as the command line gives it, such as <c>Gateway:Docker:Socket</c> for a backend.</param>
    public static async Task<GatewayFixture> StartAsync(Action<GatewayOptions>? configure = null, Action<Faas.Gateway.Configuration.AsyncOptions>? configureAsync = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var fixture = new GatewayFixture { _configure = configure, _configureAsync = configureAsync, _settings = settings ?? new Dictionary<string, string>() };
        fixture.Url = $"http://127.0.0.1:{FreePort.Next()}";
        fixture.DashboardUrl = $"http://127.0.0.1:{FreePort.Next()}";
        await fixture.StartAppAsync();
        fixture.AdminPassword = await File.ReadAllTextAsync(Path.Combine(fixture._state.Path, "admin-password"));
        fixture.Admin = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        fixture.Admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + fixture.AdminPassword)));
        return fixture;
    }

    /// <summary>Stops the gateway (and so every replica) and starts a new one on the same state directory and address.</summary>
    public async Task RestartAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await StartAppAsync();
    }

    private async Task StartAppAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Gateway:Local:WatchdogPath"] = RepoPaths.Watchdog,
            ["Gateway:Local:StandbyReplicas"] = "0",
            ["Gateway:Local:SandboxReadOnlyPaths:0"] = RepoPaths.Root,
        };
        foreach (var (name, value) in _settings)
        {
            settings[name] = value;
        }

        _app = await GatewayApp.CreateAsync(["--urls", Url, .. settings.Select(setting => $"--{setting.Key}={setting.Value}")], options =>
        {
            options.StateDirectory = _state.Path;
            options.UpstreamTimeout = TimeSpan.FromSeconds(5);
            options.Dashboard.Url = DashboardUrl;
            _configure?.Invoke(options);
        }, _configureAsync);
        _app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(Warnings);
        await _app.StartAsync();
    }

    public Task<HttpResponseMessage> DeployAsync(string name, string fprocess, string extraJson = "") =>
        Admin.PostAsync(Url + "/system/functions", Json($$"""{"service":"{{name}}","image":"local","envProcess":"{{fprocess}}"{{extraJson}}}"""));

    /// <summary>Deploys the test upstream (tests/Faas.TestUpstream) as an http-mode function.</summary>
    public Task<HttpResponseMessage> DeployHttpAsync(string name, string extraJson = "") =>
        DeployAsync(name, RepoPaths.TestUpstream, ""","envVars":{"mode":"http","ready_path":"/ready"}""" + extraJson);

    /// <summary>Waits until the function reports <paramref name="replicas"/> available replicas.</summary>
    public async Task WaitForAvailableAsync(string name, int replicas = 1)
    {
        var reached = await ProcessTable.EventuallyAsync(async () =>
        {
            using var response = await Admin.GetAsync($"{Url}/system/function/{name}");
            return response.IsSuccessStatusCode &&
                (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).TryGetProperty("availableReplicas", out var available) &&
                available.GetInt32() == replicas;
        }, TimeSpan.FromSeconds(30));
        Assert.True(reached, $"{name} never had {replicas} available replicas");
    }

    /// <summary>The lines a function has written to its log so far (stderr, and stdout outside its answer), read through <c>/system/logs</c>.</summary>
    public async Task<IReadOnlyList<string>> LogLinesAsync(string name)
    {
        var ndjson = await Admin.GetStringAsync($"{Url}/system/logs?name={name}");
        return [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("text").GetString() ?? "")];
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Dispose();
    }
}
