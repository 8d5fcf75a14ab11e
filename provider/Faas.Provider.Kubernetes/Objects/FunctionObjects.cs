using System.Globalization;
using Faas.Provider.Kubernetes.Api;
using Faas.Provider.Wire;

namespace Faas.Provider.Kubernetes.Objects;

/// <summary>
/// The Kubernetes objects of a function, as faas-netes makes them (so existing users recognise them): a Deployment and
/// a ClusterIP Service named after the function and selected by <c>faas_function</c>, and back from a Deployment to the
/// function's status. Pure: no HTTP here, so it is tested field by field.
/// </summary>
public static class FunctionObjects
{
    public const string FunctionLabel = "faas_function";

    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public const string ManagedBy = "openfaas";

    /// <summary>Set on the pod template at every deploy and update so that a re-deploy of the same image tag rolls (and pulls) again.</summary>
    public const string DeployedAtAnnotation = "com.openfaas.deployed-at";

    public const int WatchdogPort = 8080;

    public const string SecretsMountPath = "/var/openfaas/secrets";

    /// <param name="deployedAt">Stamped on the pod template so that a re-deploy rolls; null for manifests that must not change from run to run (GitOps).</param>
    public static Deployment Deployment(FunctionDeployment function, KubernetesProviderOptions options, int replicas, DateTimeOffset? deployedAt)
    {
        var name = function.Service;
        var selector = new Dictionary<string, string> { [FunctionLabel] = name };
        var podLabels = new Dictionary<string, string>(function.Labels ?? [], StringComparer.Ordinal) { [FunctionLabel] = name };
        var podAnnotations = new Dictionary<string, string>(function.Annotations ?? [], StringComparer.Ordinal);
        if (deployedAt is { } at)
        {
            podAnnotations[DeployedAtAnnotation] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }

        var volumes = new List<Volume>();
        var mounts = new List<VolumeMount>();
        if (function.Secrets is { Count: > 0 } secrets)
        {
            volumes.Add(new Volume
            {
                Name = $"{name}-projected-secrets",
                Projected = new ProjectedVolumeSource { Sources = [.. secrets.Select(secret => new VolumeProjection { Secret = new SecretProjection { Name = secret } })] },
            });
            mounts.Add(new VolumeMount { Name = $"{name}-projected-secrets", MountPath = SecretsMountPath, ReadOnly = true });
        }

        if (function.ReadOnlyRootFilesystem)
        {
            volumes.Add(new Volume { Name = "temp", EmptyDir = new EmptyDirVolumeSource() });
            mounts.Add(new VolumeMount { Name = "temp", MountPath = "/tmp" });
        }

        var probe = new Probe
        {
            HttpGet = new HttpGetAction { Path = "/_/health", Port = WatchdogPort },
            InitialDelaySeconds = (int)options.ProbeInitialDelay.TotalSeconds,
            TimeoutSeconds = 1,
            PeriodSeconds = Math.Max(1, (int)options.ProbePeriod.TotalSeconds),
            SuccessThreshold = 1,
            FailureThreshold = 3,
        };
        return new Deployment
        {
            Metadata = new ObjectMeta { Name = name, Namespace = function.Namespace, Labels = new() { [FunctionLabel] = name }, Annotations = NullIfEmpty(function.Annotations) },
            Spec = new DeploymentSpec
            {
                Replicas = replicas,
                Selector = new LabelSelector { MatchLabels = selector },
                Strategy = new DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 } },
                RevisionHistoryLimit = 10,
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = podLabels, Annotations = podAnnotations.Count > 0 ? podAnnotations : null },
                    Spec = new PodSpec
                    {
                        Containers =
                        [
                            new Container
                            {
                                Name = name,
                                Image = function.Image,
                                ImagePullPolicy = options.ImagePullPolicy,
                                Ports = [new ContainerPort { Name = "http", Number = WatchdogPort, Protocol = "TCP" }],
                                Env = Environment(function),
                                Resources = Resources(function),
                                LivenessProbe = probe,
                                ReadinessProbe = probe,
                                SecurityContext = new SecurityContext { ReadOnlyRootFilesystem = function.ReadOnlyRootFilesystem },
                                VolumeMounts = mounts.Count > 0 ? mounts : null,
                            },
                        ],
                        Volumes = volumes.Count > 0 ? volumes : null,
                        RestartPolicy = "Always",
                        DnsPolicy = "ClusterFirst",
                    },
                },
            },
        };
    }

    public static Service Service(FunctionDeployment function) => new()
    {
        Metadata = new ObjectMeta { Name = function.Service, Namespace = function.Namespace, Labels = new() { [FunctionLabel] = function.Service }, Annotations = NullIfEmpty(function.Annotations) },
        Spec = new ServiceSpec
        {
            Type = "ClusterIP",
            Selector = new() { [FunctionLabel] = function.Service },
            Ports = [new ServicePort { Name = "http", Protocol = "TCP", Port = WatchdogPort, TargetPort = WatchdogPort }],
        },
    };

    /// <summary>The function a Deployment runs, read back from the fields <see cref="Deployment"/> writes; replicas from spec and status.</summary>
    public static FunctionStatus Status(Deployment deployment)
    {
        var template = deployment.Spec.Template;
        var container = template.Spec.Containers.FirstOrDefault() ?? new Container();
        var env = (container.Env ?? []).Where(e => e.Name != "fprocess").ToDictionary(e => e.Name, e => e.Value ?? "", StringComparer.Ordinal);
        var labels = (template.Metadata.Labels ?? []).Where(l => l.Key != FunctionLabel).ToDictionary(StringComparer.Ordinal);
        var annotations = (template.Metadata.Annotations ?? []).Where(a => a.Key != DeployedAtAnnotation).ToDictionary(StringComparer.Ordinal);
        var secrets = (template.Spec.Volumes ?? []).SelectMany(v => v.Projected?.Sources ?? []).Select(s => s.Secret?.Name).OfType<string>().ToList();
        var deploymentFields = new FunctionDeployment
        {
            Service = deployment.Metadata.Name ?? "",
            Namespace = deployment.Metadata.Namespace,
            Image = container.Image,
            EnvProcess = container.Env?.FirstOrDefault(e => e.Name == "fprocess")?.Value,
            EnvVars = env.Count > 0 ? env : null,
            Labels = labels.Count > 0 ? labels : null,
            Annotations = annotations.Count > 0 ? annotations : null,
            Secrets = secrets.Count > 0 ? secrets : null,
            Limits = ResourcesOf(container.Resources?.Limits),
            Requests = ResourcesOf(container.Resources?.Requests),
            ReadOnlyRootFilesystem = container.SecurityContext?.ReadOnlyRootFilesystem == true,
        };
        return FunctionStatus.Of(deploymentFields, deployment.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue) with
        {
            Replicas = (ulong)(deployment.Spec.Replicas ?? 0),
            AvailableReplicas = (ulong)(deployment.Status?.AvailableReplicas ?? 0),
        };
    }

    /// <summary>A secret as faas-netes stores one made through the API: one key, the secret's name, labelled as managed.</summary>
    public static Api.Secret Secret(Wire.Secret secret, string @namespace) => new()
    {
        Metadata = new ObjectMeta { Name = secret.Name, Namespace = @namespace, Labels = new() { [ManagedByLabel] = ManagedBy } },
        Type = "Opaque",
        Data = new() { [secret.Name] = secret.RawValue ?? System.Text.Encoding.UTF8.GetBytes(secret.Value ?? "") },
    };

    /// <summary><c>fprocess</c> from envProcess, then the function's variables, sorted by name (as faas-netes does).</summary>
    private static List<EnvVar>? Environment(FunctionDeployment function)
    {
        var env = new SortedDictionary<string, string>(function.EnvVars ?? [], StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(function.EnvProcess))
        {
            env["fprocess"] = function.EnvProcess;
        }

        return env.Count > 0 ? [.. env.Select(pair => new EnvVar { Name = pair.Key, Value = pair.Value })] : null;
    }

    private static ResourceRequirements? Resources(FunctionDeployment function)
    {
        var limits = Quantities(function.Limits);
        var requests = Quantities(function.Requests);
        return limits is null && requests is null ? null : new ResourceRequirements { Limits = limits, Requests = requests };
    }

    private static Dictionary<string, string>? Quantities(FunctionResources? resources)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(resources?.Memory))
        {
            map["memory"] = resources.Memory;
        }

        if (!string.IsNullOrEmpty(resources?.Cpu))
        {
            map["cpu"] = resources.Cpu;
        }

        return map.Count > 0 ? map : null;
    }

    private static FunctionResources? ResourcesOf(Dictionary<string, string>? map) =>
        map is { Count: > 0 } ? new FunctionResources { Memory = map.GetValueOrDefault("memory"), Cpu = map.GetValueOrDefault("cpu") } : null;

    private static Dictionary<string, string>? NullIfEmpty(Dictionary<string, string>? map) => map is { Count: > 0 } ? new(map) : null;
}
