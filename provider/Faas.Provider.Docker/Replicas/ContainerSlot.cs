using System.Globalization;
using Faas.Posix;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Engine;
using Faas.Provider.Supervision;

namespace Faas.Provider.Docker.Replicas;

/// <summary>
/// One desired replica, kept running as a container: create and start it, wait until its watchdog is healthy, and
/// when the container exits unasked, replace it after an exponential backoff (capped). Restarts and the last exit
/// reason are kept for status. A slot either stops its container (scale down, delete) or lets go of it (the
/// backend is shutting down and the container should keep serving until the next one adopts it).
/// </summary>
public sealed class ContainerSlot
{
    private readonly DockerEngine _engine;
    private readonly DockerProviderOptions _options;
    private readonly Action _changed;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private AdoptedContainer? _adopted;
    private volatile Running? _current;
    private volatile bool _ready;

    public ContainerSlot(DockerEngine engine, DockerProviderOptions options, ReplicaVersion version, Action changed, AdoptedContainer? adopted = null)
    {
        _engine = engine;
        _options = options;
        _changed = changed;
        _adopted = adopted;
        Version = version;
        History = new RestartHistory(options.RestartBackoffMin, options.RestartBackoffMax);
        _loop = Task.Run(RunAsync);
    }

    public ReplicaVersion Version { get; }

    /// <summary>Ready and not being stopped: may receive traffic.</summary>
    public bool IsReady => _ready && !_stop.IsCancellationRequested;

    public ReplicaEndpoint? Endpoint => IsReady && _current is { } current ? new ReplicaEndpoint(current.Instance, "127.0.0.1", current.Port) : null;

    /// <summary>The container now serving this slot, if any.</summary>
    public string? ContainerId => _current?.Id;

    /// <summary>Restarts, failures in a row and the last exit, for the function's status.</summary>
    public RestartHistory History { get; }

    /// <summary>Completes once this slot has been ready at least once (or was stopped first).</summary>
    public Task FirstReady => _firstReady.Task;

    /// <summary>Leaves the routing table at once, then stops the container (drain, then SIGKILL after the grace period) and removes it.</summary>
    public async Task StopAsync()
    {
        await ReleaseAsync();
        if (_current is { } current)
        {
            await RemoveAsync(current.Name, _options.StopGrace + _options.DrainDelay);
        }
    }

    /// <summary>Stops supervising and leaves the container running, for the next start of the backend to adopt.</summary>
    public async Task ReleaseAsync()
    {
        await _stop.CancelAsync();
        SetReady(false);
        _firstReady.TrySetResult();
        await _loop;
    }

    private async Task RunAsync()
    {
        var stopping = _stop.Token;
        while (!stopping.IsCancellationRequested)
        {
            Running running;
            try
            {
                running = await StartOrAdoptAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (DockerException error)
            {
                RecordFailure($"could not start a container: {error.EngineMessage}", ranHealthy: false);
                await DelayAsync(stopping);
                continue;
            }

            _current = running;
            var exited = WaitForExitAsync(running.Id);
            var started = DateTimeOffset.UtcNow;
            bool ready;
            try
            {
                ready = await HealthProbe.WaitUntilReadyAsync(running.Port, exited, _options.ReadyTimeout, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (ready)
            {
                SetReady(true);
                _firstReady.TrySetResult();
            }
            else if (!exited.IsCompleted)
            {
                await StopQuietlyAsync(running.Id);
            }

            await Task.WhenAny(exited, Task.Delay(Timeout.Infinite, stopping));
            SetReady(false);
            if (stopping.IsCancellationRequested)
            {
                break;
            }

            var exitCode = await exited;
            var at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            RecordFailure(ready ? $"exit code {exitCode} at {at}" : $"not ready within {_options.ReadyTimeout.TotalSeconds:0}s (exit code {exitCode}) at {at}",
                ranHealthy: ready && DateTimeOffset.UtcNow - started > RestartHistory.HealthyRun);

            // The exited container stays during the backoff: it still counts as a desired replica if the backend restarts now.
            await DelayAsync(stopping);
            await RemoveAsync(running.Name, TimeSpan.Zero);
            _current = null;
        }
    }

    private async Task<Running> StartOrAdoptAsync(CancellationToken stopping)
    {
        if (_adopted is { } adopted)
        {
            _adopted = null;
            return new Running(adopted.Id, adopted.Name, adopted.Port);
        }

        var port = FreePort.Next();
        var name = ContainerNames.NewReplica(Version.Key);
        var spec = ReplicaSpec.Create(Version, _options, ContainerNames.InstanceOf(name), port);

        // Not cancellable: a container created for a request we stopped waiting on would be left behind.
        var id = await _engine.CreateContainerAsync(name, spec, CancellationToken.None);
        _current = new Running(id, name, port);
        await _engine.StartContainerAsync(id, CancellationToken.None);
        stopping.ThrowIfCancellationRequested();
        return _current;
    }

    /// <summary>The container's exit code once it stops; -1 if the engine no longer knows it.</summary>
    private async Task<int> WaitForExitAsync(string id)
    {
        try
        {
            return await _engine.WaitContainerAsync(id, _stop.Token);
        }
        catch (DockerException)
        {
            return -1;
        }
        catch (HttpRequestException)
        {
            return -1;
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }

    private async Task StopQuietlyAsync(string id)
    {
        try
        {
            await _engine.StopContainerAsync(id, _options.StopGrace, CancellationToken.None);
        }
        catch (DockerException)
        {
        }
    }

    private async Task RemoveAsync(string name, TimeSpan grace)
    {
        try
        {
            if (grace > TimeSpan.Zero)
            {
                await _engine.StopContainerAsync(name, grace, CancellationToken.None);
            }

            await _engine.RemoveContainerAsync(name, force: true, CancellationToken.None);
        }
        catch (DockerException error) when (error.IsNotFound)
        {
        }
    }

    private void RecordFailure(string reason, bool ranHealthy)
    {
        History.Record(reason, ranHealthy);
        _changed();
    }

    private Task DelayAsync(CancellationToken stopping) => History.WaitBeforeRestartAsync(stopping);

    private void SetReady(bool ready)
    {
        if (_ready != ready)
        {
            _ready = ready;
            _changed();
        }
    }

    /// <summary>A container serving this slot.</summary>
    private sealed record Running(string Id, string Name, int Port)
    {
        public string Instance => ContainerNames.InstanceOf(Name);
    }
}
