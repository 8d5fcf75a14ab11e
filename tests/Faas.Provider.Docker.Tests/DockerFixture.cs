using Docker.DotNet;
using Faas.Provider.Docker.Containers;
using Faas.Testing;

namespace Faas.Provider.Docker.Tests;

/// <summary>
/// One Docker Engine for the Docker tests and images made on the machine, as no registry is reachable: Debian's static
/// busybox imported as <see cref="Image"/> (with /bin/sh), and the watchdog image (<see cref="BaseImages.Watchdog"/>)
/// that function replicas run.
/// </summary>
public sealed class DockerFixture() : EngineFixtureBase("faas.test", ContainerLabels.Managed)
{
    public const string Image = BaseImages.Busybox;

    /// <summary>A Docker backend on this engine with its secrets under <paramref name="state"/>; quick to give up on a replica that fails.</summary>
    public Task<DockerProvider> StartProviderAsync(TempDirectory state, string network = DockerProviderOptions.DefaultNetwork) =>
        DockerProvider.StartAsync(new DockerProviderOptions
        {
            Socket = Socket,
            StateDirectory = state.Path,
            Network = network,
            StopGrace = TimeSpan.FromSeconds(2),
            ReadyTimeout = TimeSpan.FromSeconds(20),
        });

    protected override async Task PrepareAsync(IDockerClient engine)
    {
        await BaseImages.ImportBusyboxAsync(engine, Image);
        await BaseImages.ImportWatchdogAsync(engine);
    }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker";
}
