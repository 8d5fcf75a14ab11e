using Faas.Provider.Local.Isolation;
using Faas.Provider.Host.State;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// Watchdogs started ahead of demand, belonging to no function yet. A replica that starts from a standby skips
/// the process start and the runtime's own start-up: scaling from zero answers in well under the time of a
/// process start. Each one taken is replaced in the background. Each runs in its control group from the start (see
/// <see cref="ReplicaLimits"/>), which takes the function's limits when it is handed one.
/// </summary>
internal sealed class StandbyPool(LocalProviderOptions options, StateDirectory state, ReplicaSandbox sandbox, ReplicaLimits limits) : IAsyncDisposable
{
    /// <summary>After a standby died on its own, wait before the next, so a broken watchdog does not spin.</summary>
    private static readonly TimeSpan RespawnDelay = TimeSpan.FromSeconds(1);

    /// <summary>A replacement starts a little after a standby is taken, so its start-up does not compete for CPU with the replica being brought up.</summary>
    private static readonly TimeSpan RefillDelay = TimeSpan.FromMilliseconds(300);

    private readonly Lock _lock = new();
    private readonly List<ReplicaProcess> _idle = [];
    private bool _disposed;

    public void Fill()
    {
        lock (_lock)
        {
            _idle.RemoveAll(standby => standby.Exited.IsCompleted);
            while (!_disposed && _idle.Count < options.StandbyReplicas)
            {
                var standby = ReplicaProcess.StartStandby(options, state, sandbox, id => limits.CanEnforce ? limits.CreateGroup(id) : null);
                _idle.Add(standby);
                _ = RespawnWhenDeadAsync(standby);
            }
        }
    }

    /// <summary>An idle standby, or null if none is alive; the pool refills itself in the background.</summary>
    public ReplicaProcess? TryTake()
    {
        ReplicaProcess? taken;
        lock (_lock)
        {
            taken = _idle.FirstOrDefault(standby => !standby.Exited.IsCompleted);
            if (taken is not null)
            {
                _idle.Remove(taken);
            }
        }

        _ = Task.Delay(RefillDelay).ContinueWith(_ => Fill(), TaskScheduler.Default);
        return taken;
    }

    public async ValueTask DisposeAsync()
    {
        List<ReplicaProcess> idle;
        lock (_lock)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        await Task.WhenAll(idle.Select(async standby =>
        {
            await standby.StopAsync(TimeSpan.FromSeconds(2));
            await standby.DisposeAsync();
        }));
    }

    private async Task RespawnWhenDeadAsync(ReplicaProcess standby)
    {
        await standby.Exited;
        bool wasIdle;
        lock (_lock)
        {
            wasIdle = _idle.Remove(standby);
        }

        if (wasIdle)
        {
            // A standby taken is its replica's to dispose; one that died idle is the pool's.
            await standby.DisposeAsync();
            await Task.Delay(RespawnDelay);
            Fill();
        }
    }
}
