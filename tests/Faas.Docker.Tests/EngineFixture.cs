using Docker.DotNet;
using Faas.Testing;

namespace Faas.Docker.Tests;

/// <summary>A Docker Engine (see <see cref="DockerDaemon"/>) with <see cref="BaseImages.Busybox"/>; disposing removes what the tests labelled <c>faas.test</c>.</summary>
public sealed class EngineFixture : IAsyncLifetime
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
        await BaseImages.ImportBusyboxAsync(Engine);
    }

    public async Task DisposeAsync()
    {
        if (DockerAvailability.SkipReason is not null)
        {
            return;
        }

        await Engine.RemoveLabelledAsync("faas.test");
        Engine.Dispose();
        await _daemon.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}
