using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Engine;
using Faas.Testing;

namespace Faas.Gateway.Tests.Docker;

/// <summary>
/// A Docker Engine (see <see cref="DockerDaemon"/>) with the watchdog image, for gateways on the Docker backend.
/// Gateways leave their containers running when they stop (the next one adopts them), so disposing this removes every
/// container and definition volume the backend made before it stops the engine.
/// </summary>
public sealed class DockerEngineFixture : IAsyncLifetime
{
    private DockerDaemon _daemon = null!;

    public DockerEngine Engine { get; private set; } = null!;

    public string Socket => _daemon.Socket;

    public async Task InitializeAsync()
    {
        if (DockerAvailability.SkipReason is not null)
        {
            return;
        }

        _daemon = await DockerDaemon.StartAsync();
        Engine = await DockerEngine.ConnectAsync(_daemon.Socket);
        await BaseImages.ImportWatchdogAsync(Engine);
    }

    public Task<List<ContainerSummary>> ContainersOfAsync(string function) =>
        Engine.ListContainersAsync([$"{ContainerLabels.Function}={function}", $"{ContainerLabels.Role}={ContainerLabels.ReplicaRole}"]);

    public async Task DisposeAsync()
    {
        if (DockerAvailability.SkipReason is not null)
        {
            return;
        }

        foreach (var container in await Engine.ListContainersAsync([ContainerLabels.Managed]))
        {
            await Engine.RemoveContainerAsync(container.Id, force: true);
        }

        foreach (var volume in await Engine.ListVolumesAsync([ContainerLabels.Managed]))
        {
            await Engine.RemoveVolumeAsync(volume.Name);
        }

        Engine.Dispose();
        await _daemon.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DockerEngineCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "docker-engine";
}
