using Faas.Provider.Host.Replicas;
using Faas.Provider.Local.Bundles;
using Faas.Provider.Timeouts;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// One version of a function as the local backend starts it: the watchdog's environment (the function's variables,
/// fprocess and mode, from the deployment over the bundle's manifest), where its files are and where its secrets are.
/// </summary>
public sealed class ReplicaLaunch : HostVersion
{
    private ReplicaLaunch(FunctionDeployment deployment, DateTimeOffset createdAt, IReadOnlyDictionary<string, string> environment, string? workingDirectory, string secretsDirectory)
        : base(deployment, createdAt)
    {
        Environment = environment;
        WorkingDirectory = workingDirectory;
        SecretsDirectory = secretsDirectory;
    }

    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The bundle's directory, or null for a function that is only a command.</summary>
    public string? WorkingDirectory { get; }

    /// <summary>Where the function's secrets are copied on this host.</summary>
    public string SecretsDirectory { get; }

    /// <summary>Whether the function serves HTTP itself (http mode) and so needs a port of its own per replica.</summary>
    public bool IsHttpMode => Environment.TryGetValue("mode", out var mode) && mode == "http";

    /// <summary>
    /// Whether a standby watchdog may run this function. A standby's scheduling policy was set when it started, from
    /// the gateway's environment; a function that sets <c>sched_batch</c> itself gets a watchdog started with it.
    /// </summary>
    public bool CanUseStandby => !Environment.ContainsKey("sched_batch");

    public static ReplicaLaunch For(FunctionDeployment deployment, DateTimeOffset createdAt, (string Directory, BundleManifest Manifest)? bundle, string secretsDirectory)
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
        return new ReplicaLaunch(deployment, createdAt, environment, bundle?.Directory, secretsDirectory);
    }

    private static void Set(Dictionary<string, string> environment, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            environment[name] = value;
        }
    }
}
