namespace Faas.Provider.Kubernetes.Objects;

/// <summary>What an operator sets for every function pod: the pull policy and the watchdog probes' timing.</summary>
public sealed record PodSettings
{
    /// <summary>faas-netes CE uses <c>Always</c>; <c>IfNotPresent</c> or <c>Never</c> suit images loaded into a local cluster.</summary>
    public string ImagePullPolicy { get; init; } = "Always";

    public TimeSpan ProbeInitialDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ProbePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The policies the API server accepts.</summary>
    public static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
}
