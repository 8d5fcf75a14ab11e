using System.Globalization;
using Docker.DotNet.Models;
using Faas.Posix;
using Faas.Provider.Timeouts;
using Faas.Provider.Validation;

namespace Faas.Provider.Docker.Containers;

/// <summary>
/// The container of one replica: the function's image, its environment and labels, the watchdog's port on the host,
/// secrets read-only at <c>/var/openfaas/secrets</c>, a tmpfs at <c>/tmp</c>, and the function's limits.
/// </summary>
public static class ReplicaSpec
{
    public const string SecretsMountPath = "/var/openfaas/secrets";

    /// <summary>The watchdog's port inside a container on a bridge network.</summary>
    private const int BridgedPort = 8080;

    /// <summary>Where an http-mode function on a bridge listens when neither its image nor its definition says (as OpenFaaS templates do).</summary>
    private const string DefaultUpstreamPort = "8082";

    public static CreateContainerParameters Create(ContainerVersion version, DockerProviderOptions options, string name, string instance, int hostPort)
    {
        var deployment = version.Deployment;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, value) in deployment.EnvVars ?? [])
        {
            environment[variable] = value;
        }

        if (!string.IsNullOrEmpty(deployment.EnvProcess))
        {
            environment["fprocess"] = deployment.EnvProcess;
        }

        // As in the local backend: the gateway sends each request's limit as X-Timeout, bounded by the watchdog's own.
        if (!environment.ContainsKey("exec_timeout") && !version.ImageEnvironment.ContainsKey("exec_timeout"))
        {
            environment["exec_timeout"] = FunctionTimeout.Raw(deployment.Labels, deployment.Annotations) ?? "0";
        }

        environment["healthcheck_interval"] = options.DrainDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        environment["prefix_logs"] = "false";
        environment["FAAS_FUNCTION_NAME"] = version.Key.Name;
        environment["FAAS_FUNCTION_NAMESPACE"] = version.Key.Namespace;
        environment["FAAS_SECRETS_DIR"] = SecretsMountPath;
        environment["FAAS_REPLICA_ID"] = instance;
        if (options.IsHostNetwork)
        {
            // Replicas share the host's network: each watchdog (and an http-mode function behind it) needs ports of its own.
            environment["port"] = hostPort.ToString(CultureInfo.InvariantCulture);
            environment["metrics_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            environment["listen_address"] = "127.0.0.1";
            if (version.IsHttpMode)
            {
                var upstreamPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
                environment["PORT"] = upstreamPort;
                environment["upstream_url"] = $"http://127.0.0.1:{upstreamPort}";
            }
        }
        else
        {
            environment["port"] = BridgedPort.ToString(CultureInfo.InvariantCulture);
            environment["listen_address"] = "0.0.0.0";
            if (version.IsHttpMode && Defined(version, environment, "upstream_url") is null)
            {
                // The image's ports are its own here: only an http-mode function that names none gets the templates' usual one.
                var upstreamPort = Defined(version, environment, "PORT") ?? (environment["PORT"] = DefaultUpstreamPort);
                environment["upstream_url"] = $"http://127.0.0.1:{upstreamPort}";
            }
        }

        var portKey = $"{BridgedPort}/tcp";
        return new CreateContainerParameters
        {
            Name = name,
            Image = deployment.Image,
            Env = [.. environment.Select(pair => $"{pair.Key}={pair.Value}")],
            Labels = Labels(version, hostPort),
            ExposedPorts = options.IsHostNetwork ? null! : new Dictionary<string, EmptyStruct> { [portKey] = default },
            HostConfig = new HostConfig
            {
                NetworkMode = options.Network,
                PortBindings = options.IsHostNetwork ? null! : new Dictionary<string, IList<PortBinding>>
                {
                    [portKey] = [new PortBinding { HostIP = "127.0.0.1", HostPort = hostPort.ToString(CultureInfo.InvariantCulture) }],
                },
                Binds = version.SecretsDirectory is { } secrets ? [$"{secrets}:{SecretsMountPath}:ro"] : null!,
                ReadonlyRootfs = deployment.ReadOnlyRootFilesystem,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = $"rw,nosuid,nodev,size={options.TmpfsSize}" },
                Memory = ResourceQuantity.Bytes(deployment.Limits?.Memory),
                MemoryReservation = ResourceQuantity.Bytes(deployment.Requests?.Memory),
                NanoCPUs = ResourceQuantity.NanoCpus(deployment.Limits?.Cpu),
                CPUShares = ResourceQuantity.NanoCpus(deployment.Requests?.Cpu) * 1024 / 1_000_000_000,
            },
        };
    }

    private static string? Defined(ContainerVersion version, Dictionary<string, string> environment, string variable) =>
        environment.GetValueOrDefault(variable) ?? version.ImageEnvironment.GetValueOrDefault(variable);

    /// <summary>The function's labels and annotations (as OpenFaaS' <c>com.openfaas.annotations.</c> labels), then ours.</summary>
    private static Dictionary<string, string> Labels(ContainerVersion version, int hostPort)
    {
        var deployment = version.Deployment;
        var labels = new Dictionary<string, string>(deployment.Labels ?? [], StringComparer.Ordinal);
        foreach (var (key, value) in deployment.Annotations ?? [])
        {
            labels["com.openfaas.annotations." + key] = value;
        }

        labels[ContainerLabels.Managed] = "true";
        labels[ContainerLabels.Role] = ContainerLabels.ReplicaRole;
        labels[ContainerLabels.Function] = version.Key.Name;
        labels[ContainerLabels.Namespace] = version.Key.Namespace;
        labels[ContainerLabels.Version] = version.Id;
        labels[ContainerLabels.Port] = hostPort.ToString(CultureInfo.InvariantCulture);
        return labels;
    }
}
