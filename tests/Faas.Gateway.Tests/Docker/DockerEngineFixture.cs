using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using Faas.Provider.Docker.Containers;
using Faas.Testing;

namespace Faas.Gateway.Tests.Docker;

/// <summary>
/// A Docker Engine with the watchdog image, for gateways on the Docker backend. Gateways leave their containers running
/// when they stop (the next one adopts them), so disposing this removes every container and definition volume the
/// backend made before it stops the engine.
/// </summary>
public sealed class DockerEngineFixture() : EngineFixtureBase(ContainerLabels.Managed)
{
    public Task<IList<ContainerListResponse>> ContainersOfAsync(string function) =>
        Engine.ContainersWithAsync($"{ContainerLabels.Function}={function}", $"{ContainerLabels.Role}={ContainerLabels.ReplicaRole}");

    /// <summary>
    /// A Testcontainers builder on this engine: host networking (the test engine has no default bridge, and everything
    /// stays on 127.0.0.1), labelled so disposal removes it, no resource reaper (its image cannot be pulled here).
    /// </summary>
    public ContainerBuilder Container(string image) =>
        new ContainerBuilder(image)
            .WithDockerEndpoint(new Uri("unix://" + Socket))
            .WithCreateParameterModifier(parameters => parameters.HostConfig!.NetworkMode = "host")
            .WithLabel(ContainerLabels.Managed, "true")
            .WithCleanUp(false);

    /// <summary>Polls <paramref name="url"/> until it answers 200; a timeout carries what the container wrote.</summary>
    public static async Task WaitForOkAsync(string url, IContainer container)
    {
        try
        {
            await TestHttp.WaitForOkAsync(url, TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message} The container wrote: {await OutputAsync(container)}", timeout);
        }
    }

    public static async Task<string> OutputAsync(IContainer container)
    {
        var (stdout, stderr) = await container.GetLogsAsync();
        return stdout + stderr;
    }

    protected override async Task PrepareAsync(IDockerClient engine)
    {
        // Testcontainers asks for Engine API 1.44 unless told otherwise; Debian's engine (20.10) speaks 1.41.
        Environment.SetEnvironmentVariable("DOCKER_API_VERSION", (await engine.System.GetVersionAsync()).APIVersion);
        TestcontainersSettings.ResourceReaperEnabled = false;
        await BaseImages.ImportWatchdogAsync(engine);
    }
}

[CollectionDefinition(Name)]
public sealed class DockerEngineCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "docker-engine";
}
