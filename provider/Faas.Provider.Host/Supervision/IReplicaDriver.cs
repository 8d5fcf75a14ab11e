using Faas.Provider.Host.Replicas;

namespace Faas.Provider.Host.Supervision;

/// <summary>How a backend starts one replica of a version (a watchdog process, a container); the slot does the rest.</summary>
public interface IReplicaDriver<in TVersion>
    where TVersion : HostVersion
{
    /// <summary>Starts a replica; <see cref="ReplicaStartException"/> when it cannot (the slot records it and tries again later).</summary>
    /// <param name="instance">The slot's name for its replicas, for logs and endpoints where the backend has none of its own.</param>
    Task<IRunningReplica> StartAsync(TVersion version, string instance, CancellationToken cancellationToken);
}

/// <summary>One started replica: where its watchdog listens, when it exits, and how to stop it.</summary>
public interface IRunningReplica : IAsyncDisposable
{
    /// <summary>The name the replica is known by in endpoints and logs.</summary>
    string Instance { get; }

    /// <summary>The watchdog's port on the host's loopback.</summary>
    int Port { get; }

    /// <summary>Completes with the exit code when the replica stops for any reason.</summary>
    Task<int> Exited { get; }

    /// <summary>
    /// True when the replica reports that it is ready (it is then routed without a health check); false when it can no
    /// longer report it, and its health is checked at once rather than at the next step of the probe's back-off; null
    /// where replicas make no such report.
    /// </summary>
    Task<bool>? ReadyReported { get; }

    /// <summary>The last line the replica wrote, if the backend keeps it: what a failed start said about itself.</summary>
    string? LastOutput { get; }

    /// <summary>Asks the replica to drain and stop; forces it after <paramref name="grace"/>.</summary>
    /// <param name="stillRouted">
    /// False when nothing routes requests to the replica any more (the gateway is exiting and has drained its own): it
    /// need not keep serving while routers notice it is going.
    /// </param>
    Task StopAsync(TimeSpan grace, bool stillRouted = true);
}

/// <summary>A replica could not be started (a program missing, the engine refusing); the message says why.</summary>
public sealed class ReplicaStartException(string message, Exception? inner = null) : Exception(message, inner);
