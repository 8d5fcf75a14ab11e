namespace Faas.Provider;

/// <summary>A change in the ready replicas of a function: its full current set (level-triggered, so a missed event is harmless).</summary>
public sealed record EndpointsChanged(FunctionKey Function, IReadOnlyList<ReplicaEndpoint> Ready);
