using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Engine;
using Faas.Provider.Supervision;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker.Replicas;

/// <summary>
/// A deployed function's replica containers: scaling adds or stops slots, an update rolls to a new version (new
/// replicas ready before old ones leave), and every change of the ready set is published. Mutations are
/// serialised by the provider, which holds the function's lock around each operation.
/// </summary>
public sealed class FunctionContainers(DockerEngine engine, DockerProviderOptions options, ReplicaVersion version, Action<FunctionKey, IReadOnlyList<ReplicaEndpoint>> publish)
{
    private readonly Lock _slotsLock = new();
    private readonly List<ContainerSlot> _slots = [];

    public FunctionKey Key { get; } = version.Key;

    public ReplicaVersion Version { get; private set; } = version;

    /// <summary>The desired replica count.</summary>
    public int Replicas { get; private set; }

    public IReadOnlyList<ContainerSlot> Slots
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

    /// <summary>Supervises containers a previous run of the backend left running (they count as desired replicas).</summary>
    public void Adopt(IEnumerable<AdoptedContainer> containers)
    {
        foreach (var container in containers)
        {
            AddSlot(Version, container);
            Replicas++;
        }
    }

    /// <summary>Starts or stops replicas of the current version until there are <paramref name="replicas"/>.</summary>
    public async Task ScaleToAsync(int replicas)
    {
        Replicas = replicas;
        var current = Slots.Where(slot => slot.Version.Id == Version.Id).ToList();
        for (var i = current.Count; i < replicas; i++)
        {
            AddSlot(Version, adopted: null);
        }

        await StopSlotsAsync(current.Skip(replicas).Reverse());
    }

    /// <summary>
    /// Rolls to a new version: starts its replicas, waits until each is ready (or has failed for good), then stops the
    /// old ones. If no new replica became ready, the old ones keep serving.
    /// </summary>
    public async Task RollToAsync(ReplicaVersion next)
    {
        var old = Slots;
        Version = next;
        var fresh = Enumerable.Range(0, Replicas).Select(_ => AddSlot(next, adopted: null)).ToList();
        using var deadline = new CancellationTokenSource(options.ReadyTimeout + options.StopGrace);
        await Task.WhenAny(Task.WhenAll(fresh.Select(slot => slot.FirstReady)), Task.Delay(Timeout.Infinite, deadline.Token));
        if (fresh.Count > 0 && !fresh.Any(slot => slot.IsReady))
        {
            return;
        }

        await StopSlotsAsync(old);
    }

    public Task StopAllAsync() => StopSlotsAsync(Slots);

    /// <summary>Stops supervising without touching the containers (the backend is shutting down).</summary>
    public Task ReleaseAllAsync() => Task.WhenAll(Slots.Select(slot => slot.ReleaseAsync()));

    public FunctionStatus Status()
    {
        var slots = Slots;
        return FunctionStatus.Of(Version.Definition.Deployment, Version.Definition.CreatedAt).WithRestarts(slots.Select(slot => slot.History), options.CrashLoopThreshold) with
        {
            Replicas = (ulong)Replicas,
            AvailableReplicas = (ulong)slots.Count(slot => slot.IsReady && slot.Version.Id == Version.Id),
        };
    }

    private ContainerSlot AddSlot(ReplicaVersion slotVersion, AdoptedContainer? adopted)
    {
        var slot = new ContainerSlot(engine, options, slotVersion, PublishEndpoints, adopted);
        lock (_slotsLock)
        {
            _slots.Add(slot);
        }

        return slot;
    }

    private async Task StopSlotsAsync(IEnumerable<ContainerSlot> slots)
    {
        var stopping = slots.ToList();
        lock (_slotsLock)
        {
            _slots.RemoveAll(stopping.Contains);
        }

        PublishEndpoints();
        await Task.WhenAll(stopping.Select(slot => slot.StopAsync()));
    }

    private void PublishEndpoints() => publish(Key, ReadyEndpoints);
}
