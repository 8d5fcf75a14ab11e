using Faas.Provider.Wire;

namespace Faas.Provider.Host.Replicas;

/// <summary>
/// One version of a function, as deployed: its definition and when the function was first deployed. Each backend
/// derives what it needs to start replicas of it (a process launch, a container spec). Versions are compared by
/// reference: an update makes a new one.
/// </summary>
public abstract class HostVersion(FunctionDeployment deployment, DateTimeOffset createdAt)
{
    public FunctionDeployment Deployment { get; } = deployment;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public FunctionKey Key { get; } = new(deployment.Service, deployment.Namespace!);
}
