namespace Faas.Watchdog.Health;

/// <summary>
/// Whether this replica should receive traffic: the function is ready and the watchdog is not shutting down.
/// Mirrors readiness in the lock file (unless suppressed) so exec probes and Docker HEALTHCHECKs agree with /_/health.
/// </summary>
internal sealed class ReplicaHealth(string lockFilePath, bool suppressLock)
{
    private volatile bool _functionReady;
    private volatile bool _shuttingDown;

    public bool IsHealthy => _functionReady && !_shuttingDown && (suppressLock || File.Exists(lockFilePath));

    public void MarkFunctionReady()
    {
        if (!suppressLock)
        {
            File.WriteAllText(lockFilePath, string.Empty);
        }

        _functionReady = true;
    }

    public void MarkShuttingDown()
    {
        _shuttingDown = true;
        if (!suppressLock)
        {
            File.Delete(lockFilePath);
        }
    }
}
