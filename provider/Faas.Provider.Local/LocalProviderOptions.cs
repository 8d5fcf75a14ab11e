namespace Faas.Provider.Local;

/// <summary>Settings of the local backend (section <c>Gateway:Local</c>), on top of those of every host backend.</summary>
public sealed class LocalProviderOptions : Host.HostProviderOptions
{
    /// <summary>The watchdog executable every replica runs; by default the one beside the gateway.</summary>
    public string WatchdogPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "watchdog");

    /// <summary>Each function's log file is rotated past this size (one previous file is kept).</summary>
    public long LogFileMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Watchdogs kept started ahead of demand, so a replica (scale from zero above all) skips the process start.</summary>
    public int StandbyReplicas { get; set; } = 1;

    /// <summary>
    /// Watchdog settings every replica gets (such as <c>sched_batch</c>); a function's own environment is applied after.
    /// Nothing else of the host's environment reaches a replica.
    /// </summary>
    public Dictionary<string, string> WatchdogEnvironment { get; set; } = [];

    /// <summary>Whether replicas run in a sandbox of their own (bubblewrap) where one can be made.</summary>
    public bool Sandbox { get; set; } = true;

    /// <summary>The user (<c>UID[:GID]</c>) replicas run as when the provider runs as root.</summary>
    public string FunctionUser { get; set; } = Isolation.FunctionUser.Nobody.ToString();

    /// <summary>
    /// Host paths a sandboxed function may read although they are under a hidden directory (<c>/root</c>, <c>/home</c>,
    /// <c>/tmp</c>, ...), such as where its programs are installed. The watchdog's directory is always readable.
    /// </summary>
    public List<string> SandboxReadOnlyPaths { get; set; } = [];

    /// <summary>
    /// The most processes and threads one replica may run (its watchdog, its function and all they start), as a
    /// container's pids limit: a function that forks without end fails its own forks rather than taking the host's
    /// PIDs from the gateway and the other functions. 0 sets no limit per replica (all replicas together still hold
    /// at most half the host's PIDs). Needs control groups, as <c>limits</c> do.
    /// </summary>
    public int PidsLimit { get; set; } = 1024;

    /// <summary>
    /// Size of a sandboxed replica's <c>/tmp</c> (also its <c>HOME</c>): a tmpfs of its own whose pages count towards
    /// the replica's memory limit, as the docker backend's <c>TmpfsSize</c>. A function that fills it gets "No space
    /// left on device" instead of filling the host's disk, where the gateway keeps its state.
    /// </summary>
    public long TmpfsBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest bundle archive accepted, and largest total size it may unpack to (×4).</summary>
    public long MaxBundleBytes { get; set; } = 256L * 1024 * 1024;
}
