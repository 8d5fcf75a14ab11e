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
    /// Variables of the host process's environment that replicas do not inherit (the gateway's own socket settings). A
    /// function that wants one names it in its own environment, which is applied after.
    /// </summary>
    public IReadOnlyList<string> WithheldEnvironment { get; init; } = [];

    /// <summary>Largest bundle archive accepted, and largest total size it may unpack to (×4).</summary>
    public long MaxBundleBytes { get; init; } = 256L * 1024 * 1024;
}
