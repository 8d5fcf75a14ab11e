namespace Faas.Provider.Host;

/// <summary>What every backend that supervises replicas on this host is told: where its state is, and its supervision's timing.</summary>
public class HostProviderOptions
{
    /// <summary>Where definitions, secrets, namespaces and logs live (<c>FAAS_STATE_DIR</c>; the gateway sets it).</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>How long a new replica may take to answer 200 on <c>/_/health</c> before it counts as failed.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After SIGTERM, how long a replica may drain before it is killed.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The watchdog's <c>healthcheck_interval</c>: how long a stopping replica still serves after it left the routing table.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RestartBackoffMin { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RestartBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A replica that fails this many times in a row is reported as crash-looping.</summary>
    public int CrashLoopThreshold { get; set; } = 3;
}
