using Faas.Provider.Local.Isolation;
using Faas.Provider.Local.Logs;
using Faas.Provider.Local.State;
using Faas.Provider.Supervision;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// A deployed function's replicas: scaling adds or stops slots, an update rolls to a new version (new replicas
/// ready before old ones leave), and every change of the ready set is published to the endpoint feed.
/// Mutations are serialised by the provider, which holds the function's lock around each operation.
/// </summary>
internal sealed class FunctionRuntime(LocalProviderOptions options, StateDirectory state, ReplicaSandbox sandbox, EndpointFeed feed, StandbyPool? standbys, StoredFunction stored, ReplicaLaunch launch)
{
    private readonly Lock _slotsLock = new();
    private readonly List<ReplicaSlot> _slots = [];

    public FunctionKey Key { get; } = stored.Key;

    public StoredFunction Stored { get; private set; } = stored;

    public ReplicaLaunch Launch { get; private set; } = launch;

    public FunctionLog Log { get; } = new(state.Logs(stored.Key), options.LogFileMaxBytes);

    public IReadOnlyList<ReplicaSlot> Slots
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

    /// <summary>Starts or stops replicas of the current version until there are <paramref name="replicas"/>.</summary>
    public async Task ScaleToAsync(int replicas)
    {
        Stored = Stored with { Replicas = replicas };
        var current = Slots.Where(slot => slot.Launch == Launch).ToList();
        for (var i = current.Count; i < replicas; i++)
        {
            AddSlot(Launch);
        }

        await StopSlotsAsync(current.Skip(replicas).Reverse());
    }

    /// <summary>
    /// Rolls to a new version: starts its replicas, waits until each is ready (or has failed for good), then
    /// stops the old ones. If no new replica became ready, the old ones keep serving.
    /// </summary>
    public async Task RollToAsync(StoredFunction updated, ReplicaLaunch newLaunch)
    {
        var old = Slots;
        Stored = updated;
        Launch = newLaunch;
        var fresh = Enumerable.Range(0, updated.Replicas).Select(_ => AddSlot(newLaunch)).ToList();
        using var deadline = new CancellationTokenSource(options.ReadyTimeout + options.StopGrace);
        await Task.WhenAny(Task.WhenAll(fresh.Select(slot => slot.FirstReady)), Task.Delay(Timeout.Infinite, deadline.Token));
        if (fresh.Count > 0 && !fresh.Any(slot => slot.IsReady))
        {
            return;
        }

        await StopSlotsAsync(old);
    }

    public Task StopAllAsync() => StopSlotsAsync(Slots);

    public FunctionStatus Status()
    {
        var slots = Slots;
        return FunctionStatus.Of(Stored.Deployment, Stored.CreatedAt).WithRestarts(slots.Select(slot => slot.History), options.CrashLoopThreshold) with
        {
            Replicas = (ulong)Stored.Replicas,
            AvailableReplicas = (ulong)slots.Count(slot => slot.IsReady && slot.Launch == Launch),
        };
    }

    private ReplicaSlot AddSlot(ReplicaLaunch version)
    {
        var slot = new ReplicaSlot(options, state, sandbox, version, Log, standbys, PublishEndpoints);
        lock (_slotsLock)
        {
            _slots.Add(slot);
        }

        return slot;
    }

    private async Task StopSlotsAsync(IEnumerable<ReplicaSlot> slots)
    {
        var stopping = slots.ToList();
        lock (_slotsLock)
        {
            _slots.RemoveAll(stopping.Contains);
        }

        PublishEndpoints();
        await Task.WhenAll(stopping.Select(slot => slot.StopAsync()));
    }

    private void PublishEndpoints() => feed.Publish(new EndpointsChanged(Key, ReadyEndpoints));
}
