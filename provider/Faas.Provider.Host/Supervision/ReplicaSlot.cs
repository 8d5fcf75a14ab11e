using System.Diagnostics;
using System.Globalization;
using Faas.Provider.Host.Replicas;

namespace Faas.Provider.Host.Supervision;

/// <summary>
/// One desired replica, kept running: start it through the backend's driver, wait until its watchdog is healthy, and
/// when it exits unasked, start it again after an exponential backoff (capped). Restarts and the last exit reason
/// are kept for status. A slot either stops its replica (scale down, delete) or lets go of it (the backend is shutting
/// down and the replica should keep serving until the next start adopts it).
/// </summary>
public sealed class ReplicaSlot<TVersion>
    where TVersion : HostVersion
{
    private readonly IReplicaDriver<TVersion> _driver;
    private readonly HostProviderOptions _options;
    private readonly Action _changed;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private IRunningReplica? _adopted;
    private volatile IRunningReplica? _current;
    private volatile bool _ready;
    private Task? _stopped;

    /// <param name="adopted">A replica a previous run of the backend left running, supervised from here on.</param>
    public ReplicaSlot(IReplicaDriver<TVersion> driver, HostProviderOptions options, TVersion version, Action changed, IRunningReplica? adopted = null)
    {
        _driver = driver;
        _options = options;
        _changed = changed;
        _adopted = adopted;
        Version = version;
        Instance = $"{version.Key.Name}-{Guid.NewGuid().ToString("N")[..8]}";
        History = new RestartHistory(options.RestartBackoffMin, options.RestartBackoffMax);
        _loop = Task.Run(RunAsync);
    }

    public TVersion Version { get; }

    /// <summary>The slot's own name for its replicas (a backend may name each replica itself).</summary>
    public string Instance { get; }

    /// <summary>Ready and not being stopped: may receive traffic.</summary>
    public bool IsReady => _ready && !_stop.IsCancellationRequested;

    public ReplicaEndpoint? Endpoint => IsReady && _current is { } current ? new ReplicaEndpoint(current.Instance, "127.0.0.1", current.Port) : null;

    /// <summary>The replica now serving this slot, if any.</summary>
    public IRunningReplica? Current => _current;

    /// <summary>Restarts, failures in a row and the last exit, for the function's status.</summary>
    public RestartHistory History { get; }

    /// <summary>Completes once this slot has been ready at least once (or was stopped first).</summary>
    public Task FirstReady => _firstReady.Task;

    /// <summary>
    /// Leaves the routing table at once, then stops the replica (drain, then forced after the grace period). Stopping
    /// twice (a scale-down, then the end of a rolling update) stops once.
    /// </summary>
    /// <param name="stillRouted">False when nothing routes to replicas any more: the replica skips the wait for routers.</param>
    public Task StopAsync(bool stillRouted = true)
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _stopped, stopping.Task, null) is { } already)
        {
            return already;
        }

        _ = StopOnceAsync(stillRouted).ContinueWith(done => stopping.SetFromTask(done), TaskScheduler.Default);
        return stopping.Task;
    }

    private async Task StopOnceAsync(bool stillRouted)
    {
        await ReleaseAsync();
        if (_current is { } current)
        {
            await current.StopAsync(stillRouted ? _options.StopGrace + _options.DrainDelay : _options.StopGrace, stillRouted);
            await current.DisposeAsync();
        }
    }

    /// <summary>Stops supervising and leaves the replica running, for the next start of the backend to adopt.</summary>
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
            IRunningReplica replica;
            try
            {
                replica = _adopted ?? await _driver.StartAsync(Version, Instance, CancellationToken.None);
                _adopted = null;
            }
            catch (ReplicaStartException error)
            {
                RecordFailure($"could not start: {error.Message}", ranHealthy: false);
                await DelayAsync(stopping);
                continue;
            }

            _current = replica;
            var started = Stopwatch.StartNew();
            bool ready;
            try
            {
                ready = await HealthProbe.WaitUntilReadyAsync(replica.Port, replica.Exited, replica.ReadyReported, _options.ReadyTimeout, stopping);
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
            else if (!replica.Exited.IsCompleted)
            {
                await replica.StopAsync(_options.StopGrace);
            }

            await Task.WhenAny(replica.Exited, Task.Delay(Timeout.Infinite, stopping));
            SetReady(false);
            if (stopping.IsCancellationRequested)
            {
                break;
            }

            var exitCode = await replica.Exited;
            RecordFailure(ExitReason(replica, exitCode, ready, started.Elapsed), ranHealthy: ready && started.Elapsed > RestartHistory.HealthyRun);

            // The replica stays (a container is kept) during the backoff: it still counts if the backend restarts now.
            await DelayAsync(stopping);
            await replica.DisposeAsync();
            _current = null;
        }
    }

    /// <summary>What the status says about an exit: when it came, and before readiness what the replica last said.</summary>
    private string ExitReason(IRunningReplica replica, int exitCode, bool ready, TimeSpan ran)
    {
        var at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        if (ready)
        {
            return $"exit code {exitCode} at {at}";
        }

        var said = replica.LastOutput is { Length: > 0 } output ? $": {output}" : "";
        return ran >= _options.ReadyTimeout
            ? $"not ready within {_options.ReadyTimeout.TotalSeconds:0}s (exit code {exitCode}) at {at}{said}"
            : $"exited with code {exitCode} after {ran.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s, before it was ready, at {at}{said}";
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
}
