using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Provider.Docker.Containers;
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

    public IDockerClient Engine { get; private set; } = null!;

    public string Socket => _daemon.Socket;

    public async Task InitializeAsync()
    {
        if (DockerAvailability.SkipReason is not null)
        {
            return;
        }

        _daemon = await DockerDaemon.StartAsync();
        Engine = _daemon.Client();
        await BaseImages.ImportWatchdogAsync(Engine);
    }

    public Task<IList<ContainerListResponse>> ContainersOfAsync(string function) =>
        Engine.ContainersWithAsync($"{ContainerLabels.Function}={function}", $"{ContainerLabels.Role}={ContainerLabels.ReplicaRole}");

    public async Task DisposeAsync()
    {
        if (DockerAvailability.SkipReason is not null)
        {
            return;
        }

        await Engine.RemoveLabelledAsync(ContainerLabels.Managed);
        Engine.Dispose();
        await _daemon.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DockerEngineCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "docker-engine";
}
