using Faas.Provider.Local.Bundles;
using Faas.Provider.Timeouts;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// Everything needed to start replicas of one version of a function: the watchdog's environment (the
/// function's variables, fprocess and mode, from the deployment over the bundle's manifest) and where it runs.
/// </summary>
public sealed record ReplicaLaunch(FunctionKey Key, IReadOnlyDictionary<string, string> Environment, string? WorkingDirectory, string SecretsDirectory)
{
    /// <summary>Whether the function serves HTTP itself (http mode) and so needs a port of its own per replica.</summary>
    public bool IsHttpMode => Environment.TryGetValue("mode", out var mode) && mode == "http";

    /// <summary>
    /// Whether a standby watchdog may run this function. A standby's scheduling policy was set when it started, from
    /// the gateway's environment; a function that sets <c>sched_batch</c> itself gets a watchdog started with it.
    /// </summary>
    public bool CanUseStandby => !Environment.ContainsKey("sched_batch");

    public static ReplicaLaunch For(FunctionDeployment deployment, (string Directory, BundleManifest Manifest)? bundle, string secretsDirectory)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (bundle?.Manifest is { } manifest)
        {
            Set(environment, "fprocess", manifest.Fprocess);
            Set(environment, "mode", manifest.Mode);
            Set(environment, "ready_path", manifest.ReadyPath);
        }

        foreach (var (name, value) in deployment.EnvVars ?? [])
        {
            environment[name] = value;
        }

        Set(environment, "fprocess", deployment.EnvProcess);

        // The gateway sends each request's limit as X-Timeout; the watchdog honours only limits below its own,
        // so its own is the function's timeout, or none.
        environment.TryAdd("exec_timeout", FunctionTimeout.Raw(deployment.Labels, deployment.Annotations) ?? "0");
        environment["FAAS_FUNCTION_NAME"] = deployment.Service;
        environment["FAAS_FUNCTION_NAMESPACE"] = deployment.Namespace!;
        return new ReplicaLaunch(new FunctionKey(deployment.Service, deployment.Namespace!), environment, bundle?.Directory, secretsDirectory);
    }

    private static void Set(Dictionary<string, string> environment, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            environment[name] = value;
        }
    }
}
