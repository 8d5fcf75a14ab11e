using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Engine;
using Faas.Provider.Host.Supervision;

namespace Faas.Provider.Docker.Replicas;

/// <summary>One replica container: exits when the engine says so; stopping lets it drain, disposing removes it.</summary>
internal sealed class ContainerReplica : IRunningReplica
{
    private readonly DockerEngine _engine;
    private readonly string _id;
    private readonly string _name;
    private readonly CancellationTokenSource _forgotten = new();

    public ContainerReplica(DockerEngine engine, string id, string name, int port)
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

    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            await _engine.StopContainerAsync(_id, grace, CancellationToken.None);
        }
        catch (DockerException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _forgotten.CancelAsync();
        try
        {
            await _engine.RemoveContainerAsync(_name, force: true, CancellationToken.None);
        }
        catch (DockerException error) when (error.IsNotFound)
        {
        }
    }

    /// <summary>The container's exit code once it stops; -1 if the engine no longer knows it.</summary>
    private async Task<int> WaitForExitAsync()
    {
        try
        {
            return await _engine.WaitContainerAsync(_id, _forgotten.Token);
        }
        catch (Exception error) when (error is DockerException or HttpRequestException or OperationCanceledException)
        {
            return -1;
        }
    }
}
