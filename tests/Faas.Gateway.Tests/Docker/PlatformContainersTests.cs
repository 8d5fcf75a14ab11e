using System.Globalization;
using System.Net;
using System.Text;
using DotNet.Testcontainers.Builders;
using Faas.Gateway.Tests.Async;
using Faas.Testing;

namespace Faas.Gateway.Tests.Docker;

/// <summary>
/// The platform as containers, wired as a user runs it (as faasd or a compose file does), through Testcontainers: the
/// gateway image on the Docker backend with the engine's socket mounted, a NATS container with JetStream, and a
/// function image. Images are built here (nothing can be pulled); see <see cref="DockerEngineFixture.Container"/>.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class PlatformContainersTests(DockerEngineFixture docker)
{
    private const string NatsImage = "faas-test/nats:1";

    [DockerFact]
    public async Task The_gateway_and_nats_containers_run_a_function_image_sync_and_async()
    {
        var endpoint = new Uri("unix://" + docker.Socket);
        await BaseImages.ImportGatewayAsync(docker.Engine);
        await BuildNatsImageAsync(endpoint);
        var natsPort = FreePort.Next();
        var gatewayUrl = $"http://127.0.0.1:{FreePort.Next()}";

        await using var nats = docker.Container(NatsImage)
            .WithCommand("-js", "-a", "127.0.0.1", "-p", natsPort.ToString(CultureInfo.InvariantCulture), "-sd", "/tmp/jetstream")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Server is ready"))
            .Build();
        await nats.StartAsync();

        await using var gateway = docker.Container(BaseImages.Gateway)
            .WithCommand("--urls", gatewayUrl)
            .WithEnvironment(new Dictionary<string, string>
            {
                ["FAAS_ADMIN_PASSWORD"] = GatewayProcess.AdminPassword,
                ["FAAS_STATE_DIR"] = "/tmp/faas",
                ["Gateway__Provider"] = "docker",
                ["Gateway__Docker__Socket"] = "/var/run/docker.sock",
                ["Gateway__Async__NatsUrl"] = $"nats://127.0.0.1:{natsPort}",
            })
            .WithBindMount(docker.Socket, "/var/run/docker.sock")
            .Build();
        await gateway.StartAsync();
        await DockerEngineFixture.WaitForOkAsync(gatewayUrl + "/healthz", gateway);

        await using var callbacks = await CallbackReceiver.StartAsync();
        using var admin = GatewayProcess.AdminClient();
        var name = $"tc-{Guid.NewGuid():N}"[..12];
        using var deployed = await admin.PostAsync(gatewayUrl + "/system/functions",
            new StringContent($$"""{"service":"{{name}}","image":"{{BaseImages.Watchdog}}","envProcess":"rev"}""", Encoding.UTF8, "application/json"));
        var lastAnswer = "";
        var answered = await ProcessTable.EventuallyAsync(async () =>
        {
            using var response = await TestHttp.Client.PostAsync($"{gatewayUrl}/function/{name}", new StringContent("sreniatnoc"));
            lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            return lastAnswer.TrimEnd() == "200 containers";
        }, TimeSpan.FromSeconds(60));
        using var queued = new HttpRequestMessage(HttpMethod.Post, $"{gatewayUrl}/async-function/{name}") { Content = new StringContent("cnysa") };
        queued.Headers.Add("X-Callback-Url", callbacks.Url + "/done");
        using var accepted = await TestHttp.Client.SendAsync(queued);
        var calledBack = await callbacks.WaitForAsync(1, TimeSpan.FromSeconds(60));

        Assert.True(deployed.StatusCode == HttpStatusCode.Accepted, await deployed.Content.ReadAsStringAsync());
        Assert.True(answered, $"{name} never answered through the gateway container (last: {lastAnswer}): {await DockerEngineFixture.OutputAsync(gateway)}");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True(calledBack, $"no callback came: {await DockerEngineFixture.OutputAsync(gateway)}");
        var callback = Assert.Single(callbacks.Received);
        Assert.Equal(200, callback.Status);
        Assert.Equal("async", callback.Body.Trim());
        Assert.Single(await docker.ContainersOfAsync(name));
    }

    /// <summary>Debian's nats-server on the watchdog image (which has the C library it links).</summary>
    private static async Task BuildNatsImageAsync(Uri endpoint)
    {
        using var context = new TempDirectory("faas-nats-image-");
        File.Copy(NatsServerProcess.Executable, context.Combine("nats-server"));
        await File.WriteAllTextAsync(context.Combine("Dockerfile"), $"FROM {BaseImages.Watchdog}\nCOPY nats-server /usr/bin/nats-server\nENTRYPOINT [\"/usr/bin/nats-server\"]\n");
        var image = new ImageFromDockerfileBuilder()
            .WithDockerEndpoint(endpoint)
            .WithDockerfileDirectory(context.Path)
            .WithName(NatsImage)
            .WithCleanUp(false)
            .Build();
        await image.CreateAsync();
    }
}
