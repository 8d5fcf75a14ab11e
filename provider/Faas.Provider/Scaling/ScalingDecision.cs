namespace Faas.Provider.Scaling;

/// <summary>How the autoscaler behaves around the policy: how long load must stay low before scaling down, and by how much.</summary>
public sealed record ScalingBehaviour
{
    /// <summary>Load must stay below the current replicas' capacity this long before a scale-down.</summary>
    public TimeSpan StabilizationWindow { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>The share of replicas removed per step once stable (0: one replica per step).</summary>
    public double ScaleDownFraction { get; init; }
}

/// <summary>One function's measurements at one moment.</summary>
/// <param name="Load">Queue depth, requests in flight, or requests per second, per the policy's type.</param>
/// <param name="Active">Whether anything arrived for the function since the last decision (for scale to zero).</param>
public sealed record ScalingInput(ScalingPolicy Policy, int CurrentReplicas, double Load, bool Active, DateTimeOffset Now)
{
    /// <summary>When the function last answered a request, if known: its idle time counts from there.</summary>
    public DateTimeOffset? LastFinished { get; init; }
}

/// <summary>What the decision remembers between rounds: recent recommendations, since when the load has been low, and the last activity.</summary>
public sealed record ScalingState(IReadOnlyList<(DateTimeOffset At, int Replicas)> Recommendations, DateTimeOffset? LowSince, DateTimeOffset LastActive);

public sealed record ScalingDecision(int Replicas, string Reason, ScalingState State);
