using System.Globalization;
using Faas.Provider.Wire;
using k8s.Models;

namespace Faas.Provider.Kubernetes.Objects;

/// <summary>
/// The Kubernetes objects of a function, as faas-netes makes them (so existing users recognise them): a Deployment and
/// a ClusterIP Service named after the function and selected by <c>faas_function</c>, and back from a Deployment to the
/// function's status. Pure: no API calls here, so it is tested field by field.
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

    /// <summary>A secret of this type holds registry credentials: it becomes an <c>imagePullSecret</c>, not a mounted file.</summary>
    public const string RegistrySecretType = "kubernetes.io/dockerconfigjson";

    private const string TempVolume = "temp";

    /// <param name="registrySecrets">Those of the function's secrets that hold registry credentials (pulled with, not mounted).</param>
    /// <param name="deployedAt">Stamped on the pod template so that a re-deploy rolls; null for manifests that must not change from run to run (GitOps).</param>
    public static V1Deployment Deployment(FunctionDeployment function, PodSettings settings, int replicas, DateTimeOffset? deployedAt, IReadOnlySet<string>? registrySecrets = null)
    {
        var name = function.Service;
        var template = PodTemplate(function, settings, deployedAt, registrySecrets ?? new HashSet<string>());
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = function.Namespace, Labels = new Dictionary<string, string> { [FunctionLabel] = name }, Annotations = NullIfEmpty(function.Annotations) },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [FunctionLabel] = name } },
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 } },
                RevisionHistoryLimit = 10,
                Template = template,
            },
        };
    }

    /// <summary>
    /// <paramref name="current"/> (as the cluster holds it) changed to run <paramref name="desired"/>: the fields the
    /// platform owns are replaced, everything else another tool set (a nodeSelector, tolerations, a sidecar, other
    /// volumes, metadata others added) is kept, and so are the replicas.
    /// </summary>
    public static V1Deployment Update(V1Deployment current, V1Deployment desired)
    {
        var name = desired.Metadata.Name;
        var previousAnnotations = current.Spec.Template.Metadata?.Annotations?.Keys ?? [];
        current.Metadata.Labels = Merge(current.Metadata.Labels, [], desired.Metadata.Labels);
        current.Metadata.Annotations = Merge(current.Metadata.Annotations, previousAnnotations, desired.Metadata.Annotations);

        var pod = current.Spec.Template.Spec;
        var wanted = desired.Spec.Template.Spec;
        current.Spec.Template.Metadata = desired.Spec.Template.Metadata;
        pod.Containers = [.. pod.Containers.Select(container => container.Name == name ? wanted.Containers[0] : container)];
        if (!pod.Containers.Any(container => container.Name == name))
        {
            pod.Containers.Insert(0, wanted.Containers[0]);
        }

        var ours = new HashSet<string>([SecretsVolume(name), TempVolume], StringComparer.Ordinal);
        var volumes = (pod.Volumes ?? []).Where(volume => !ours.Contains(volume.Name)).Concat(wanted.Volumes ?? []).ToList();
        pod.Volumes = volumes.Count > 0 ? volumes : null;
        pod.ImagePullSecrets = wanted.ImagePullSecrets;
        current.Spec.Strategy = desired.Spec.Strategy;
        return current;
    }

    public static V1Service Service(FunctionDeployment function) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = function.Service, NamespaceProperty = function.Namespace, Labels = new Dictionary<string, string> { [FunctionLabel] = function.Service }, Annotations = NullIfEmpty(function.Annotations) },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = new Dictionary<string, string> { [FunctionLabel] = function.Service },
            Ports = [new V1ServicePort { Name = "http", Protocol = "TCP", Port = WatchdogPort, TargetPort = WatchdogPort }],
        },
    };

    /// <summary>The function a Deployment runs, read back from the fields <see cref="Deployment"/> writes; replicas from spec and status.</summary>
    public static FunctionStatus Status(V1Deployment deployment)
    {
        var name = deployment.Metadata.Name ?? "";
        var template = deployment.Spec.Template;
        var container = template.Spec.Containers.FirstOrDefault(c => c.Name == name) ?? template.Spec.Containers.FirstOrDefault() ?? new V1Container();
        var env = (container.Env ?? []).Where(e => e.Name != "fprocess").ToDictionary(e => e.Name, e => e.Value ?? "", StringComparer.Ordinal);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var annotations = (template.Metadata?.Annotations ?? new Dictionary<string, string>()).Where(a => a.Key != DeployedAtAnnotation).ToDictionary(StringComparer.Ordinal);
        var secrets = (template.Spec.Volumes ?? []).Where(v => v.Name == SecretsVolume(name)).SelectMany(v => v.Projected?.Sources ?? []).Select(s => s.Secret?.Name)
            .Concat((template.Spec.ImagePullSecrets ?? []).Select(s => s.Name)).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var fields = new FunctionDeployment
        {
            Service = name,
            Namespace = deployment.Metadata.NamespaceProperty,
            Image = container.Image,
            EnvProcess = container.Env?.FirstOrDefault(e => e.Name == "fprocess")?.Value,
            EnvVars = env.Count > 0 ? env : null,
            Labels = labels,
            Annotations = annotations.Count > 0 ? annotations : null,
            Secrets = secrets.Count > 0 ? secrets : null,
            Limits = ResourcesOf(container.Resources?.Limits),
            Requests = ResourcesOf(container.Resources?.Requests),
            ReadOnlyRootFilesystem = container.SecurityContext?.ReadOnlyRootFilesystem == true,
        };
        return FunctionStatus.Of(fields, deployment.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : DateTimeOffset.MinValue) with
        {
            Replicas = (ulong)(deployment.Spec.Replicas ?? 0),
            AvailableReplicas = (ulong)(deployment.Status?.AvailableReplicas ?? 0),
        };
    }

    /// <summary>A secret as faas-netes stores one made through the API: one key, the secret's name, labelled as managed.</summary>
    public static V1Secret Secret(Secret secret, string @namespace) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = secret.Name, NamespaceProperty = @namespace, Labels = new Dictionary<string, string> { [ManagedByLabel] = ManagedBy } },
        Type = "Opaque",
        Data = new Dictionary<string, byte[]> { [secret.Name] = secret.RawValue ?? System.Text.Encoding.UTF8.GetBytes(secret.Value ?? "") },
    };

    /// <summary>Whether the platform made this Deployment or Service (it carries <see cref="FunctionLabel"/>).</summary>
    public static bool IsManaged(V1ObjectMeta metadata) => metadata.Labels?.ContainsKey(FunctionLabel) == true;

    /// <summary>Whether this secret was made through the gateway's API (labelled managed-by openfaas).</summary>
    public static bool IsManagedSecret(V1ObjectMeta metadata) => metadata.Labels?.TryGetValue(ManagedByLabel, out var by) == true && by == ManagedBy;

    private static string SecretsVolume(string function) => $"{function}-projected-secrets";

    private static V1PodTemplateSpec PodTemplate(FunctionDeployment function, PodSettings settings, DateTimeOffset? deployedAt, IReadOnlySet<string> registrySecrets)
    {
        var name = function.Service;
        var podLabels = new Dictionary<string, string>(function.Labels ?? [], StringComparer.Ordinal) { [FunctionLabel] = name };
        var podAnnotations = new Dictionary<string, string>(function.Annotations ?? [], StringComparer.Ordinal);
        if (deployedAt is { } at)
        {
            podAnnotations[DeployedAtAnnotation] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }

        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        var mounted = (function.Secrets ?? []).Where(secret => !registrySecrets.Contains(secret)).ToList();
        if (mounted.Count > 0)
        {
            volumes.Add(new V1Volume
            {
                Name = SecretsVolume(name),
                Projected = new V1ProjectedVolumeSource { Sources = [.. mounted.Select(secret => new V1VolumeProjection { Secret = new V1SecretProjection { Name = secret } })] },
            });
            mounts.Add(new V1VolumeMount { Name = SecretsVolume(name), MountPath = SecretsMountPath, ReadOnlyProperty = true });
        }

        if (function.ReadOnlyRootFilesystem)
        {
            volumes.Add(new V1Volume { Name = TempVolume, EmptyDir = new V1EmptyDirVolumeSource() });
            mounts.Add(new V1VolumeMount { Name = TempVolume, MountPath = "/tmp" });
        }

        var pullSecrets = (function.Secrets ?? []).Where(registrySecrets.Contains).Select(secret => new V1LocalObjectReference { Name = secret }).ToList();
        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = podLabels, Annotations = podAnnotations.Count > 0 ? podAnnotations : null },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = name,
                        Image = function.Image,
                        ImagePullPolicy = settings.ImagePullPolicy,
                        Ports = [new V1ContainerPort { Name = "http", ContainerPort = WatchdogPort, Protocol = "TCP" }],
                        Env = Environment(function),
                        Resources = Resources(function),
                        LivenessProbe = Probe(settings),
                        ReadinessProbe = Probe(settings),
                        SecurityContext = new V1SecurityContext { ReadOnlyRootFilesystem = function.ReadOnlyRootFilesystem },
                        VolumeMounts = mounts.Count > 0 ? mounts : null,
                    },
                ],
                Volumes = volumes.Count > 0 ? volumes : null,
                ImagePullSecrets = pullSecrets.Count > 0 ? pullSecrets : null,
                RestartPolicy = "Always",
                DnsPolicy = "ClusterFirst",
            },
        };
    }

    private static V1Probe Probe(PodSettings settings) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = "/_/health", Port = WatchdogPort },
        InitialDelaySeconds = (int)settings.ProbeInitialDelay.TotalSeconds,
        TimeoutSeconds = 1,
        PeriodSeconds = Math.Max(1, (int)settings.ProbePeriod.TotalSeconds),
        SuccessThreshold = 1,
        FailureThreshold = 3,
    };

    /// <summary><c>fprocess</c> from envProcess, then the function's variables, sorted by name (as faas-netes does).</summary>
    private static List<V1EnvVar>? Environment(FunctionDeployment function)
    {
        var env = new SortedDictionary<string, string>(function.EnvVars ?? [], StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(function.EnvProcess))
        {
            env["fprocess"] = function.EnvProcess;
        }

        return env.Count > 0 ? [.. env.Select(pair => new V1EnvVar { Name = pair.Key, Value = pair.Value })] : null;
    }

    private static V1ResourceRequirements? Resources(FunctionDeployment function)
    {
        var limits = Quantities(function.Limits);
        var requests = Quantities(function.Requests);
        return limits is null && requests is null ? null : new V1ResourceRequirements { Limits = limits, Requests = requests };
    }

    private static Dictionary<string, ResourceQuantity>? Quantities(FunctionResources? resources)
    {
        var map = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(resources?.Memory))
        {
            map["memory"] = new ResourceQuantity(resources.Memory);
        }

        if (!string.IsNullOrEmpty(resources?.Cpu))
        {
            map["cpu"] = new ResourceQuantity(resources.Cpu);
        }

        return map.Count > 0 ? map : null;
    }

    private static FunctionResources? ResourcesOf(IDictionary<string, ResourceQuantity>? map) =>
        map is { Count: > 0 } ? new FunctionResources { Memory = map.TryGetValue("memory", out var memory) ? memory.ToString() : null, Cpu = map.TryGetValue("cpu", out var cpu) ? cpu.ToString() : null } : null;

    private static Dictionary<string, string>? NullIfEmpty(Dictionary<string, string>? map) => map is { Count: > 0 } ? new(map) : null;

    /// <summary>The keys others set, without those the function set before, with the function's now.</summary>
    private static Dictionary<string, string>? Merge(IDictionary<string, string>? current, IEnumerable<string> previouslyOurs, IDictionary<string, string>? ours)
    {
        var merged = new Dictionary<string, string>(current ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var key in previouslyOurs)
        {
            merged.Remove(key);
        }

        foreach (var (key, value) in ours ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        return merged.Count > 0 ? merged : null;
    }
}
