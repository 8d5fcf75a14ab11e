namespace Faas.Provider.Local.Replicas;

/// <summary>
/// Variables the local backend gives every watchdog it starts, which a function's envVars cannot set: where it listens
/// (the backend routes there, and binds loopback only), the replica's id (how a leftover is recognised after a crash),
/// its lifeline and readiness report, and the standby's hand-over. A deploy naming one is refused; a definition stored before this rule
/// gets the backend's values.
/// </summary>
internal static class WatchdogVariables
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "port", "metrics_port", "listen_address", "FAAS_REPLICA_ID", "FAAS_LIFELINE", "FAAS_READY_FD", "FAAS_STANDBY", "FAAS_WORKDIR", "FAAS_ENVIRONMENT", "FAAS_RUN_AS",
    };

    public static bool IsReserved(string name) => Names.Contains(name);

    /// <summary>The first reserved name among <paramref name="envVars"/>, as a deploy's 400 says it; null if none.</summary>
    public static string? Refuse(IReadOnlyDictionary<string, string>? envVars) =>
        envVars?.Keys.FirstOrDefault(IsReserved) is { } name
            ? $"envVars \"{name}\" is the local backend's own setting for every replica's watchdog: a function cannot set it"
            : null;
}
