namespace Faas.Provider.Kubernetes.Api;

public sealed record PodTemplateSpec
{
    public ObjectMeta Metadata { get; init; } = new();

    public PodSpec Spec { get; init; } = new();
}

public sealed record PodSpec
{
    public List<Container> Containers { get; init; } = [];

    public List<Volume>? Volumes { get; init; }

    public string? RestartPolicy { get; init; }

    public string? DnsPolicy { get; init; }

    public Dictionary<string, string>? NodeSelector { get; init; }

    public List<LocalObjectReference>? ImagePullSecrets { get; init; }
}

public sealed record LocalObjectReference
{
    public string Name { get; init; } = "";
}

public sealed record Container
{
    public string Name { get; init; } = "";

    public string Image { get; init; } = "";

    public string? ImagePullPolicy { get; init; }

    public List<ContainerPort>? Ports { get; init; }

    public List<EnvVar>? Env { get; init; }

    public ResourceRequirements? Resources { get; init; }

    public Probe? LivenessProbe { get; init; }

    public Probe? ReadinessProbe { get; init; }

    public SecurityContext? SecurityContext { get; init; }

    public List<VolumeMount>? VolumeMounts { get; init; }
}

public sealed record ContainerPort
{
    public string? Name { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("containerPort")]
    public int Number { get; init; }

    public string Protocol { get; init; } = "TCP";
}

public sealed record EnvVar
{
    public string Name { get; init; } = "";

    public string? Value { get; init; }
}

public sealed record ResourceRequirements
{
    public Dictionary<string, string>? Limits { get; init; }

    public Dictionary<string, string>? Requests { get; init; }
}

public sealed record Probe
{
    public HttpGetAction? HttpGet { get; init; }

    public int InitialDelaySeconds { get; init; }

    public int TimeoutSeconds { get; init; }

    public int PeriodSeconds { get; init; }

    public int SuccessThreshold { get; init; }

    public int FailureThreshold { get; init; }
}

public sealed record HttpGetAction
{
    public string Path { get; init; } = "/";

    public IntOrString Port { get; init; }

    public string? Scheme { get; init; }
}

public sealed record SecurityContext
{
    public bool? ReadOnlyRootFilesystem { get; init; }

    public long? RunAsUser { get; init; }

    public bool? AllowPrivilegeEscalation { get; init; }
}

public sealed record Volume
{
    public string Name { get; init; } = "";

    public EmptyDirVolumeSource? EmptyDir { get; init; }

    public ProjectedVolumeSource? Projected { get; init; }
}

public sealed record EmptyDirVolumeSource
{
    public string? Medium { get; init; }
}

public sealed record ProjectedVolumeSource
{
    public List<VolumeProjection> Sources { get; init; } = [];
}

public sealed record VolumeProjection
{
    public SecretProjection? Secret { get; init; }
}

public sealed record SecretProjection
{
    public string Name { get; init; } = "";

    public List<KeyToPath>? Items { get; init; }
}

public sealed record KeyToPath
{
    public string Key { get; init; } = "";

    public string Path { get; init; } = "";
}

public sealed record VolumeMount
{
    public string Name { get; init; } = "";

    public string MountPath { get; init; } = "";

    public bool? ReadOnly { get; init; }
}

/// <summary>core/v1 Service.</summary>
public sealed record Service
{
    public string ApiVersion { get; init; } = "v1";

    public string Kind { get; init; } = "Service";

    public ObjectMeta Metadata { get; init; } = new();

    public ServiceSpec Spec { get; init; } = new();
}

public sealed record ServiceSpec
{
    public string Type { get; init; } = "ClusterIP";

    public Dictionary<string, string>? Selector { get; init; }

    public List<ServicePort> Ports { get; init; } = [];

    public string? ClusterIP { get; init; }
}

public sealed record ServicePort
{
    public string? Name { get; init; }

    public string Protocol { get; init; } = "TCP";

    public int Port { get; init; }

    public IntOrString? TargetPort { get; init; }
}

/// <summary>core/v1 Secret; <c>data</c> values are base64 on the wire (byte arrays here).</summary>
public sealed record Secret
{
    public string ApiVersion { get; init; } = "v1";

    public string Kind { get; init; } = "Secret";

    public ObjectMeta Metadata { get; init; } = new();

    public string? Type { get; init; }

    public Dictionary<string, byte[]>? Data { get; init; }
}

/// <summary>core/v1 Namespace.</summary>
public sealed record Namespace
{
    public string ApiVersion { get; init; } = "v1";

    public string Kind { get; init; } = "Namespace";

    public ObjectMeta Metadata { get; init; } = new();
}

/// <summary>core/v1 Pod: what logs need (name, labels, phase).</summary>
public sealed record Pod
{
    public string ApiVersion { get; init; } = "v1";

    public string Kind { get; init; } = "Pod";

    public ObjectMeta Metadata { get; init; } = new();

    public PodStatus? Status { get; init; }
}

public sealed record PodStatus
{
    public string? Phase { get; init; }

    public string? PodIP { get; init; }
}
