using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Docker;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Host.Supervision;

namespace Faas.Provider.Docker.Replicas;

/// <summary>One replica container: exits when the engine says so; stopping lets it drain, disposing removes it.</summary>
internal sealed class ContainerReplica : IRunningReplica
{
    private readonly IDockerClient _engine;
    private readonly string _id;
    private readonly string _name;
    private readonly CancellationTokenSource _forgotten = new();

    public ContainerReplica(IDockerClient engine, string id, string name, int port)
    {
        _engine = engine;
        _id = id;
        _name = name;
        Port = port;
        Instance = ContainerNames.InstanceOf(name);
        Exited = WaitForExitAsync();
    }

    public string Instance { get; }

    public int Port { get; }

    public Task<int> Exited { get; }

    public string? LastOutput => null;

    /// <summary>A container's watchdog has no channel to report on: its health is polled.</summary>
    public Task<bool>? ReadyReported => null;

    /// <summary>Stopped the engine's way (the image's stop signal) either way: the image decides what its signals mean.</summary>
    public async Task StopAsync(TimeSpan grace, bool stillRouted = true)
    {
        try
        {
            await _engine.Containers.StopContainerAsync(_id, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(grace.TotalSeconds) }, CancellationToken.None);
        }
        catch (Exception error) when (error is DockerApiException or HttpRequestException or IOException)
        {
            // Gone already, or the engine is away: disposal removes it (or the next start's adoption does).
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _forgotten.CancelAsync();
        try
        {
            await _engine.Containers.RemoveContainerAsync(_name, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, CancellationToken.None);
        }
        catch (Exception error) when (error.IsNotFound())
        {
        }
    }

    /// <summary>The container's exit code once it stops; -1 if the engine no longer knows it.</summary>
    private async Task<int> WaitForExitAsync()
    {
        try
        {
            var result = await _engine.Containers.WaitContainerAsync(_id, _forgotten.Token);
            return (int)result.StatusCode;
        }
        catch (Exception error) when (error is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            return -1;
        }
    }
}
