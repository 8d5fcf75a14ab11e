namespace Faas.Provider;

/// <summary>A ready replica of a function that the gateway can send requests to.</summary>
public sealed record ReplicaEndpoint(string Instance, string Host, int Port);

/// <summary>The identity of a function: name and namespace.</summary>
public readonly record struct FunctionKey(string Name, string Namespace)
{
    public override string ToString() => $"{Name}.{Namespace}";
}

/// <summary>A change in the ready replicas of a function: its full current set (level-triggered, so a missed event is harmless).</summary>
public sealed record EndpointsChanged(FunctionKey Function, IReadOnlyList<ReplicaEndpoint> Ready);
