using Faas.Provider;

namespace Faas.Gateway.Invoke;

/// <summary>A ready replica and the requests this gateway has in flight to it, for least-in-flight balancing.</summary>
internal sealed class ReplicaLoad(ReplicaEndpoint endpoint)
{
    private int _inFlight;

    public ReplicaEndpoint Endpoint { get; } = endpoint;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a request against this replica until the returned lease is disposed.</summary>
    public Lease Enter()
    {
        Interlocked.Increment(ref _inFlight);
        return new Lease(this);
    }

    public readonly struct Lease(ReplicaLoad replica) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref replica._inFlight);
    }
}
