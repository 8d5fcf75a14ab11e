using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Faas.Testing;

namespace Faas.Gateway.Tests.Docker;

/// <summary>The gateway image <c>make images</c> makes (what deploy/kubernetes runs), started with Testcontainers on the host network.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class GatewayImageTests(DockerEngineFixture docker)
{
    [DockerFact]
    public async Task The_gateway_image_serves_the_api_and_runs_functions_from_a_read_only_container()
    {
        await BaseImages.ImportGatewayAsync(docker.Engine);
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = docker.Container(BaseImages.Gateway)
            .WithCommand("--urls", url)
            .WithEnvironment(new Dictionary<string, string> { ["FAAS_ADMIN_PASSWORD"] = "image-test", ["FAAS_STATE_DIR"] = "/tmp/faas" })
            .WithCreateParameterModifier(parameters => parameters.HostConfig!.ReadonlyRootfs = true)
            .WithTmpfsMount("/tmp")
            .Build();
        await gateway.StartAsync();
        await DockerEngineFixture.WaitForOkAsync(url + "/healthz", gateway);
        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:image-test")));

        var info = await admin.GetFromJsonAsync<JsonElement>(url + "/system/info");
        using var deployed = await admin.PostAsync(url + "/system/functions", new StringContent("""{"service":"inside","image":"local","envProcess":"cat"}""", Encoding.UTF8, "application/json"));
        var answered = await ProcessTable.EventuallyAsync(async () =>
        {
            using var response = await admin.PostAsync(url + "/function/inside", new StringContent("from the image"));
            return response.IsSuccessStatusCode && await response.Content.ReadAsStringAsync() == "from the image";
        }, TimeSpan.FromSeconds(30));

        Assert.Equal("faas-local", info.GetProperty("provider").GetProperty("provider").GetString());
        Assert.True(deployed.IsSuccessStatusCode);
        Assert.True(answered, "the function deployed inside the gateway container never answered");
    }
}
