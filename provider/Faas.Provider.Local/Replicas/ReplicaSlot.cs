using System.Diagnostics;
using System.Globalization;
using Faas.Provider.Local.Isolation;
using Faas.Provider.Local.Logs;
using Faas.Provider.Local.State;
using Faas.Provider.Supervision;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// One desired replica, kept running: start, wait until ready, and when the process dies unasked, start it
/// again after an exponential backoff (capped). Restarts and the last exit reason are kept for status.
/// </summary>
internal sealed class ReplicaSlot
{
    private readonly LocalProviderOptions _options;
    private readonly StateDirectory _state;
    private readonly FunctionLog _log;
    private readonly Action _changed;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private ReplicaProcess? _current;
    private volatile bool _ready;

    private readonly StandbyPool? _standbys;

    private readonly ReplicaSandbox _sandbox;

    public ReplicaSlot(LocalProviderOptions options, StateDirectory state, ReplicaSandbox sandbox, ReplicaLaunch launch, FunctionLog log, StandbyPool? standbys, Action changed)
    {
        _sandbox = sandbox;
        _standbys = standbys;
        _options = options;
        _state = state;
        _log = log;
        _changed = changed;
        Launch = launch;
        History = new RestartHistory(options.RestartBackoffMin, options.RestartBackoffMax);
        Instance = $"{launch.Key.Name}-{Guid.NewGuid().ToString("N")[..8]}";
        _loop = Task.Run(RunAsync);
    }

    public string Instance { get; }

    public ReplicaLaunch Launch { get; }

    /// <summary>Ready and not being stopped: may receive traffic.</summary>
    public bool IsReady => _ready && !_stop.IsCancellationRequested;

    public ReplicaEndpoint? Endpoint => IsReady && _current is { } current ? new ReplicaEndpoint(Instance, "127.0.0.1", current.Port) : null;

    public int? Pid => _current?.Pid;

    /// <summary>Restarts, failures in a row and the last exit, for the function's status.</summary>
    public RestartHistory History { get; }

    /// <summary>Completes once this slot has been ready at least once (or was stopped first).</summary>
    public Task FirstReady => _firstReady.Task;

    private readonly TaskCompletionSource _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Leaves the routing table at once, then stops the replica (drain, then SIGKILL after the grace period).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        SetReady(false);
        _firstReady.TrySetResult();
        if (_current is { } current)
        {
            await current.StopAsync(_options.StopGrace + _options.DrainDelay);
        }

        await _loop;
    }

    private async Task RunAsync()
    {
        var stopping = _stop.Token;
        while (!stopping.IsCancellationRequested)
        {
            ReplicaProcess process;
            try
            {
                process = (Launch.CanUseStandby ? _standbys?.TryTake() : null)?.AssignStandby(Launch, Instance, _log)
                    ?? ReplicaProcess.Start(_options, _state, _sandbox, Launch, Instance, _log);
            }
            catch (Exception error) when (error is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                RecordFailure($"could not start the watchdog: {error.Message}", ranHealthy: false);
                await DelayAsync(stopping);
                continue;
            }

            _current = process;
            var started = Stopwatch.StartNew();
            bool ready;
            try
            {
                ready = await process.WaitUntilReadyAsync(_options.ReadyTimeout, stopping);
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
            else if (!process.Exited.IsCompleted)
            {
                await process.StopAsync(_options.StopGrace);
            }

            await Task.WhenAny(process.Exited, Task.Delay(Timeout.Infinite, stopping));
            SetReady(false);
            if (stopping.IsCancellationRequested)
            {
                break;
            }

            var exitCode = await process.Exited;
            RecordFailure(ready
                    ? $"exit code {exitCode} at {DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}"
                    : $"not ready within {_options.ReadyTimeout.TotalSeconds:0}s (exit code {exitCode}) at {DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}",
                ranHealthy: ready && started.Elapsed > RestartHistory.HealthyRun);
            process.Dispose();
            await DelayAsync(stopping);
        }

        // A stop that raced with a (re)start: the process started last must not outlive its slot.
        if (_current is { } last && !last.Exited.IsCompleted)
        {
            await last.StopAsync(_options.StopGrace + _options.DrainDelay);
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
}
