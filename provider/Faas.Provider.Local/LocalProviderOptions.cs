namespace Faas.Provider.Local;

/// <summary>Settings of the local backend.</summary>
public sealed record LocalProviderOptions
{
    /// <summary>Where definitions, secrets, bundles, logs and replica working directories live (<c>FAAS_STATE_DIR</c>).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>The watchdog executable every replica runs.</summary>
    public required string WatchdogPath { get; init; }

    /// <summary>How long a new replica may take to answer 200 on <c>/_/health</c> before it counts as failed.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After SIGTERM, how long a replica may drain before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The watchdog's <c>healthcheck_interval</c>: how long a stopping replica still serves after it left the routing table.</summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RestartBackoffMin { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RestartBackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A replica that crashes this many times in a row is reported as crash-looping.</summary>
    public int CrashLoopThreshold { get; init; } = 3;

    /// <summary>Each function's log file is rotated past this size (one previous file is kept).</summary>
    public long LogFileMaxBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Watchdogs kept started ahead of demand, so a replica (scale from zero above all) skips the process start.</summary>
    public int StandbyReplicas { get; init; } = 1;

    /// <summary>
    /// Watchdog settings every replica gets (such as <c>sched_batch</c>); a function's own environment is applied after.
    /// Nothing else of the host's environment reaches a replica.
    /// </summary>
    public IReadOnlyDictionary<string, string> WatchdogEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether replicas run in a sandbox of their own (bubblewrap) where one can be made.</summary>
    public bool Sandbox { get; init; } = true;

    /// <summary>The user replicas run as when the provider runs as root.</summary>
    public Isolation.FunctionUser FunctionUser { get; init; } = Isolation.FunctionUser.Nobody;

    /// <summary>
    /// Host paths a sandboxed function may read although they are under a hidden directory (<c>/root</c>, <c>/home</c>,
    /// <c>/tmp</c>, ...), such as where its programs are installed. The watchdog's directory is always readable.
    /// </summary>
    public IReadOnlyList<string> SandboxReadOnlyPaths { get; init; } = [];

    /// <summary>Largest bundle archive accepted, and largest total size it may unpack to (×4).</summary>
    public long MaxBundleBytes { get; init; } = 256L * 1024 * 1024;
}
