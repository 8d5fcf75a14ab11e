using Docker.DotNet;
using Faas.Harness;
using Xunit;

namespace Faas.Testing;

/// <summary>
/// A Docker Engine for one test collection (see <see cref="DockerDaemon"/>): started once, made ready by the subclass
/// (images imported), and on disposal every container and volume carrying one of <paramref name="cleanUpLabels"/>
/// removed before the engine stops. Nothing happens where Docker tests are skipped.
/// </summary>
public abstract class EngineFixtureBase(params string[] cleanUpLabels) : IAsyncLifetime
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
        await PrepareAsync(Engine);
    }

    public async Task DisposeAsync()
    {
        if (DockerAvailability.SkipReason is not null)
        {
            return;
        }

        await CleanUpAsync();
        foreach (var label in cleanUpLabels)
        {
            await Engine.RemoveLabelledAsync(label);
        }

        Engine.Dispose();
        await _daemon.DisposeAsync();
    }

    /// <summary>What the collection needs on the engine before its first test (images).</summary>
    protected abstract Task PrepareAsync(IDockerClient engine);

    /// <summary>What else to stop before the labelled objects go (processes using the engine).</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;
}
