using Docker.DotNet;
using Docker.DotNet.Models;
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

    protected override Task PrepareAsync(IDockerClient engine) => BaseImages.ImportWatchdogAsync(engine);
}

[CollectionDefinition(Name)]
public sealed class DockerEngineCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "docker-engine";
}
