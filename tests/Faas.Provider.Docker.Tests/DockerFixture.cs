using Docker.DotNet;
using Faas.Provider.Docker.Containers;
using Faas.Testing;

namespace Faas.Provider.Docker.Tests;

/// <summary>
/// One Docker Engine for the Docker tests (see <see cref="DockerDaemon"/>) and images made on the machine, as no
/// registry is reachable: Debian's static busybox imported as <see cref="Image"/> (with /bin/sh), and the watchdog
/// image (<see cref="BaseImages.Watchdog"/>) that function replicas run.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string Image = BaseImages.Busybox;

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
        await BaseImages.ImportBusyboxAsync(Engine, Image);
        await BaseImages.ImportWatchdogAsync(Engine);
    }

    /// <summary>A Docker backend on this engine with its secrets under <paramref name="state"/>; quick to give up on a replica that fails.</summary>
    public Task<DockerProvider> StartProviderAsync(TempDirectory state, string network = DockerProviderOptions.HostNetwork) =>
        DockerProvider.StartAsync(new DockerProviderOptions
        {
            Socket = _daemon.Socket,
            StateDirectory = state.Path,
            Network = network,
            StopGrace = TimeSpan.FromSeconds(2),
            ReadyTimeout = TimeSpan.FromSeconds(20),
        });

    public async Task DisposeAsync()
    {
        if (DockerAvailability.SkipReason is not null)
        {
            return;
        }

        await Engine.RemoveLabelledAsync("faas.test");
        await Engine.RemoveLabelledAsync(ContainerLabels.Managed);
        Engine.Dispose();
        await _daemon.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker";
}
