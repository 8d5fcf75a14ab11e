namespace Faas.Provider.Kubernetes.Api;

/// <summary>apps/v1 Deployment.</summary>
public sealed record Deployment
{
    public string ApiVersion { get; init; } = "apps/v1";

    public string Kind { get; init; } = "Deployment";

    public ObjectMeta Metadata { get; init; } = new();

    public DeploymentSpec Spec { get; init; } = new();

    public DeploymentStatus? Status { get; init; }
}

public sealed record DeploymentSpec
{
    public int? Replicas { get; init; }

    public LabelSelector Selector { get; init; } = new();

    public PodTemplateSpec Template { get; init; } = new();

    public DeploymentStrategy? Strategy { get; init; }

    public int? RevisionHistoryLimit { get; init; }
}

public sealed record DeploymentStrategy
{
    /// <summary><c>RollingUpdate</c> or <c>Recreate</c>.</summary>
    public string Type { get; init; } = "RollingUpdate";

    public RollingUpdateDeployment? RollingUpdate { get; init; }
}

public sealed record RollingUpdateDeployment
{
    public IntOrString? MaxUnavailable { get; init; }

    public IntOrString? MaxSurge { get; init; }
}

public sealed record DeploymentStatus
{
    public long? ObservedGeneration { get; init; }

    public int? Replicas { get; init; }

    public int? ReadyReplicas { get; init; }

    public int? AvailableReplicas { get; init; }

    public int? UpdatedReplicas { get; init; }
}

/// <summary>autoscaling/v1 Scale: the <c>scale</c> subresource of a Deployment.</summary>
public sealed record Scale
{
    public string ApiVersion { get; init; } = "autoscaling/v1";

    public string Kind { get; init; } = "Scale";

    public ObjectMeta Metadata { get; init; } = new();

    public ScaleSpec Spec { get; init; } = new();

    public ScaleStatus? Status { get; init; }
}

public sealed record ScaleSpec
{
    public int? Replicas { get; init; }
}

public sealed record ScaleStatus
{
    public int Replicas { get; init; }

    public string? Selector { get; init; }
}
