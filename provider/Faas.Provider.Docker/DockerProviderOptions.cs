namespace Faas.Provider.Docker;

/// <summary>Settings of the Docker backend (section <c>Gateway:Docker</c>).</summary>
public sealed record DockerProviderOptions
{
    /// <summary>The Engine's unix socket.</summary>
    public string Socket { get; init; } = Engine.DockerEngine.DefaultSocket;

    /// <summary>Where secrets are kept on this host (they are bind-mounted into containers from here).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>
    /// <c>host</c> (the default): replicas share the host's network, each watchdog on a loopback port of its own.
    /// Any other value is a user-defined bridge network (created if missing) with each replica's port 8080
    /// published on 127.0.0.1.
    /// </summary>
    public string Network { get; init; } = HostNetwork;

    public const string HostNetwork = "host";

    /// <summary>How long a new container may take to answer 200 on <c>/_/health</c> before it counts as failed.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After SIGTERM, how long a container may drain before the engine kills it.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The watchdog's <c>healthcheck_interval</c>: how long a stopping replica still serves after it left the routing table.</summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RestartBackoffMin { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RestartBackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A replica that fails this many times in a row is reported as crash-looping.</summary>
    public int CrashLoopThreshold { get; init; } = 3;

    /// <summary>Size of the writable tmpfs at <c>/tmp</c> of a read-only container.</summary>
    public string TmpfsSize { get; init; } = "64m";

    public bool IsHostNetwork => Network == HostNetwork;
}
