using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using Faas.Provider.Docker.Containers;
using Faas.Testing;

namespace Faas.Gateway.Tests.Docker;

/// <summary>The gateway image <c>make images</c> makes (what deploy/kubernetes runs), started as a container on the host network.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class GatewayImageTests(DockerEngineFixture docker)
{
    [DockerFact]
    public async Task The_gateway_image_serves_the_api_and_runs_functions_from_a_container()
    {
        await BaseImages.ImportGatewayAsync(docker.Engine);
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var id = (await docker.Engine.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"faas-gateway-image-{Guid.NewGuid():N}"[..32],
            Image = BaseImages.Gateway,
            Cmd = ["--urls", url],
            Env = ["FAAS_ADMIN_PASSWORD=image-test", "FAAS_STATE_DIR=/tmp/faas"],
            Labels = new Dictionary<string, string> { [ContainerLabels.Managed] = "true" },
            HostConfig = new HostConfig { NetworkMode = "host", ReadonlyRootfs = true, Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=64m" } },
        })).ID;
        try
        {
            await docker.Engine.Containers.StartContainerAsync(id, new ContainerStartParameters());
            try
            {
                await TestHttp.WaitForOkAsync(url + "/healthz", TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException timeout)
            {
                var (stdout, stderr) = await docker.Engine.OutputAsync(id);
                throw new TimeoutException($"{timeout.Message} The gateway's container wrote: {stdout}{stderr}", timeout);
            }

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
        finally
        {
            await docker.Engine.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
        }
    }
}
