using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faas.Testing;

namespace Faas.Gateway.Tests.Docker;

/// <summary>The gateway on the Docker backend: the OpenFaaS API, invocations and scaling with real containers.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class DockerBackendTests(DockerEngineFixture docker)
{
    private static string Deployment(string name, string fprocess) =>
        $$"""{"service":"{{name}}","image":"{{BaseImages.Watchdog}}","envProcess":"{{fprocess}}"}""";

    private Dictionary<string, string> Settings() => new() { ["Gateway__Provider"] = "docker", ["Gateway__Docker__Socket"] = docker.Socket };

    [DockerFact]
    public async Task Functions_deploy_invoke_and_scale_from_zero_through_the_gateway()
    {
        await using var gateway = await GatewayFixture.StartAsync(options =>
        {
            options.Provider = "docker";
            options.UpstreamTimeout = TimeSpan.FromSeconds(30);
        }, settings: new Dictionary<string, string> { ["Gateway:Docker:Socket"] = docker.Socket });
        var name = $"dk-{Guid.NewGuid():N}"[..12];
        using var deployed = await gateway.Admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json(Deployment(name, "rev")));
        await gateway.WaitForAvailableAsync(name);

        using var invoked = await gateway.Admin.PostAsync($"{gateway.Url}/function/{name}", new StringContent("reknil"));
        var info = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/info");
        using var scaled = await gateway.Admin.PostAsync($"{gateway.Url}/system/scale-function/{name}", GatewayFixture.Json($$"""{"serviceName":"{{name}}","replicas":0}"""));
        await gateway.WaitForAvailableAsync(name, 0);
        var atZero = await docker.ContainersOfAsync(name);
        using var cold = await gateway.Admin.PostAsync($"{gateway.Url}/function/{name}", new StringContent("dloc"));

        Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
        Assert.Equal("linker", (await invoked.Content.ReadAsStringAsync()).Trim());
        Assert.Equal("docker", info.GetProperty("provider").GetProperty("orchestration").GetString());
        Assert.True(scaled.IsSuccessStatusCode);
        Assert.Empty(atZero);
        Assert.Equal(HttpStatusCode.OK, cold.StatusCode);
        Assert.Equal("cold", (await cold.Content.ReadAsStringAsync()).Trim());
        Assert.True(cold.Headers.Contains("X-Cold-Start-Seconds"));
        Assert.Single(await docker.ContainersOfAsync(name));
    }

    [DockerFact]
    public async Task A_killed_gateway_restarts_and_adopts_the_containers_that_kept_serving()
    {
        await using var gateway = await GatewayProcess.StartAsync(Settings());
        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + GatewayProcess.AdminPassword)));
        var name = $"dk-{Guid.NewGuid():N}"[..12];
        using var deployed = await admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json(Deployment(name, "cat")));
        Assert.True(await ProcessTable.EventuallyAsync(async () => (await docker.ContainersOfAsync(name)).Any(c => c.State == "running"), TimeSpan.FromSeconds(30)));
        using var first = await admin.PostAsync($"{gateway.Url}/function/{name}", new StringContent("before"));
        var container = Assert.Single(await docker.ContainersOfAsync(name)).ID;

        await gateway.KillAndRestartAsync();
        var adopted = await ProcessTable.EventuallyAsync(async () =>
            (await admin.GetFromJsonAsync<JsonElement>($"{gateway.Url}/system/function/{name}")).GetProperty("availableReplicas").GetInt32() == 1, TimeSpan.FromSeconds(30));
        using var second = await admin.PostAsync($"{gateway.Url}/function/{name}", new StringContent("after"));

        Assert.Equal("before", await first.Content.ReadAsStringAsync());
        Assert.True(adopted, "the restarted gateway never reported the function available");
        Assert.Equal("after", await second.Content.ReadAsStringAsync());
        Assert.Equal(container, Assert.Single(await docker.ContainersOfAsync(name)).ID);
    }

    [DockerFact]
    public async Task A_redirect_from_a_container_function_reaches_the_caller_unchanged()
    {
        // busybox httpd answers a directory asked for without its slash with a 302 to the slashed path.
        await docker.Engine.BuildAsync($"FROM {BaseImages.Watchdog}\nRUN mkdir -p /www/moved && echo ok > /www/index.html\nENV mode=http\n", "faas-test/redirector:1");
        await using var gateway = await GatewayFixture.StartAsync(options => options.Provider = "docker",
            settings: new Dictionary<string, string> { ["Gateway:Docker:Socket"] = docker.Socket });
        var name = $"dk-{Guid.NewGuid():N}"[..12];
        using var deployed = await gateway.Admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json(
            $$"""{"service":"{{name}}","image":"faas-test/redirector:1","envProcess":"sh -c 'exec httpd -f -p 127.0.0.1:$PORT -h /www'"}"""));
        await gateway.WaitForAvailableAsync(name);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

        using var response = await client.GetAsync($"{gateway.Url}/function/{name}/moved");

        Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/moved/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_unknown_backend_name_exits_2_naming_it()
    {
        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Gateway__Provider"] = "nomad" });

        Assert.Equal(2, exitCode);
        Assert.Contains("gateway: Gateway:Provider 'nomad' is not a backend: use local, docker or kubernetes", output);
    }

    [Fact]
    public async Task No_engine_on_the_configured_socket_exits_1_naming_the_socket()
    {
        using var temp = new TempDirectory();
        var socket = temp.Combine("absent.sock");
        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Gateway__Provider"] = "docker", ["Gateway__Docker__Socket"] = socket });

        Assert.Equal(1, exitCode);
        Assert.Contains($"gateway: cannot start: the Docker backend cannot start: no Docker Engine answers on {socket}", output);
    }
}
