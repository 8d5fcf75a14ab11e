using System.Net.Http.Json;
using System.Text;
using Faas.Testing;
using Microsoft.AspNetCore.Builder;

namespace Faas.Gateway.Tests;

/// <summary>
/// The real gateway app in this process on a free 127.0.0.1 port, with the local backend on a temporary state
/// directory running the real watchdog. Disposing it stops the gateway (and so every replica) and deletes the state.
/// </summary>
public sealed class GatewayFixture : IAsyncDisposable
{
    private readonly TempDirectory _state = new("faas-gateway-");
    private WebApplication _app = null!;

    public string Url { get; private set; } = "";

    public static async Task<GatewayFixture> StartAsync()
    {
        var fixture = new GatewayFixture();
        var port = FreePort.Next();
        fixture.Url = $"http://127.0.0.1:{port}";
        fixture._app = await GatewayApp.CreateAsync(["--urls", fixture.Url], options =>
        {
            options.StateDirectory = fixture._state.Path;
            options.WatchdogPath = RepoPaths.Watchdog;
            options.StandbyReplicas = 0;
            options.UpstreamTimeout = TimeSpan.FromSeconds(5);
        });
        await fixture._app.StartAsync();
        return fixture;
    }

    public Task<HttpResponseMessage> DeployAsync(string name, string fprocess, string extraJson = "") =>
        TestHttp.Client.PostAsync(Url + "/system/functions", Json($$"""{"service":"{{name}}","image":"local","envProcess":"{{fprocess}}"{{extraJson}}}"""));

    /// <summary>Waits until the function reports <paramref name="replicas"/> available replicas.</summary>
    public async Task WaitForAvailableAsync(string name, int replicas = 1)
    {
        var reached = await ProcessTable.EventuallyAsync(() =>
        {
            using var response = TestHttp.Client.GetAsync($"{Url}/system/function/{name}").Result;
            return response.IsSuccessStatusCode &&
                response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>().Result.TryGetProperty("availableReplicas", out var available) &&
                available.GetInt32() == replicas;
        }, TimeSpan.FromSeconds(30));
        Assert.True(reached, $"{name} never had {replicas} available replicas");
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Dispose();
    }
}
