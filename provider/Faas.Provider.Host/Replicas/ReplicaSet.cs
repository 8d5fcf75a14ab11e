using Faas.Provider.Host.Supervision;
using Faas.Provider.Wire;

namespace Faas.Provider.Host.Replicas;

/// <summary>
/// A deployed function's replicas: scaling adds or stops slots, an update rolls to a new version (its replicas ready
/// before the old ones leave, in the background: the caller is answered at once), and every change of the ready set is
/// published. Mutations are serialised by the provider, which holds the function's lock around each operation.
/// </summary>
public sealed class ReplicaSet<TVersion>(IReplicaDriver<TVersion> driver, HostProviderOptions options, TVersion version, Action<FunctionKey, IReadOnlyList<ReplicaEndpoint>> publish)
    where TVersion : HostVersion
{
    private readonly Lock _slotsLock = new();
    private readonly List<ReplicaSlot<TVersion>> _slots = [];

    public FunctionKey Key { get; } = version.Key;

    /// <summary>The version new replicas start from.</summary>
    public TVersion Version { get; private set; } = version;

    /// <summary>The desired replica count.</summary>
    public int Replicas { get; private set; }

    /// <summary>The last rolling update, until its old replicas have left (for tests and shutdown).</summary>
    public Task Rollout { get; private set; } = Task.CompletedTask;

    public IReadOnlyList<ReplicaSlot<TVersion>> Slots
    {
        get
        {
            lock (_slotsLock)
            {
                return [.. _slots];
            }
        }
    }

    public IReadOnlyList<ReplicaEndpoint> ReadyEndpoints => [.. Slots.Select(slot => slot.Endpoint).OfType<ReplicaEndpoint>()];

    /// <summary>Supervises replicas a previous run of the backend left running (they count as desired replicas).</summary>
    public void Adopt(IEnumerable<IRunningReplica> replicas)
    {
        foreach (var replica in replicas)
        {
            AddSlot(Version, replica);
            Replicas++;
        }
    }

    /// <summary>Starts or stops replicas of the current version until there are <paramref name="replicas"/>.</summary>
    public async Task ScaleToAsync(int replicas)
    {
        Replicas = replicas;
        var current = Slots.Where(slot => slot.Version == Version).ToList();
        for (var i = current.Count; i < replicas; i++)
        {
            AddSlot(Version, adopted: null);
        }

        await StopSlotsAsync(current.Skip(replicas).Reverse());
    }

    /// <summary>
    /// Rolls to a new version: starts its replicas and returns. In the background, once each is ready (or has failed
    /// for good) the old ones are stopped; if none became ready, the old ones keep serving.
    /// </summary>
    public void RollTo(TVersion next)
    {
        var old = Slots;
        Version = next;
        var fresh = Enumerable.Range(0, Replicas).Select(_ => AddSlot(next, adopted: null)).ToList();
        Rollout = CompleteRolloutAsync(old, fresh);
    }

    /// <param name="stillRouted">False when the gateway is exiting and routes nothing any more (see <see cref="IRunningReplica.StopAsync"/>).</param>
    public Task StopAllAsync(bool stillRouted = true) => StopSlotsAsync(Slots, stillRouted);

    /// <summary>Stops supervising without touching the replicas (the backend is shutting down and they keep serving).</summary>
    public Task ReleaseAllAsync() => Task.WhenAll(Slots.Select(slot => slot.ReleaseAsync()));

    /// <summary>The function's status: its definition, its desired and available replicas, restarts and the last exit.</summary>
    public FunctionStatus Status()
    {
        var slots = Slots;
        var histories = slots.Select(slot => slot.History).ToList();
        return FunctionStatus.Of(Version.Deployment, Version.CreatedAt) with
        {
            Replicas = (ulong)Replicas,
            AvailableReplicas = (ulong)slots.Count(slot => slot.IsReady && slot.Version == Version),
            Restarts = histories.Sum(history => history.Restarts),
            LastExit = histories.Select(history => history.LastExit).LastOrDefault(exit => exit is not null),
            CrashLooping = histories.Any(history => history.ConsecutiveFailures >= options.CrashLoopThreshold),
        };
    }

    private async Task CompleteRolloutAsync(IReadOnlyList<ReplicaSlot<TVersion>> old, List<ReplicaSlot<TVersion>> fresh)
    {
        using var deadline = new CancellationTokenSource(options.ReadyTimeout + options.StopGrace);
        await Task.WhenAny(Task.WhenAll(fresh.Select(slot => slot.FirstReady)), Task.Delay(Timeout.Infinite, deadline.Token));
        if (fresh.Count > 0 && !fresh.Any(slot => slot.IsReady))
        {
            return;
        }

        await StopSlotsAsync(old);
    }

    private ReplicaSlot<TVersion> AddSlot(TVersion slotVersion, IRunningReplica? adopted)
    {
        var slot = new ReplicaSlot<TVersion>(driver, options, slotVersion, PublishEndpoints, adopted);
        lock (_slotsLock)
        {
            _slots.Add(slot);
        }

        return slot;
    }

    private async Task StopSlotsAsync(IEnumerable<ReplicaSlot<TVersion>> slots, bool stillRouted = true)
    {
        var stopping = slots.ToList();
        lock (_slotsLock)
        {
            _slots.RemoveAll(stopping.Contains);
        }

        PublishEndpoints();
        await Task.WhenAll(stopping.Select(slot => slot.StopAsync(stillRouted)));
    }

    private void PublishEndpoints() => publish(Key, ReadyEndpoints);
}
