namespace Faas.Provider.Kubernetes;

/// <summary>Settings of the Kubernetes backend (section <c>Gateway:Kubernetes</c>).</summary>
public sealed record KubernetesProviderOptions
{
    /// <summary>A kubeconfig file; null for <c>$KUBECONFIG</c>, <c>~/.kube/config</c>, then in-cluster.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Functions live only in namespaces carrying this label (<c>key=value</c>), several at once.</summary>
    public string FunctionNamespaceLabel { get; init; } = "openfaas=1";

    /// <summary>Where functions go when a request names no namespace.</summary>
    public string DefaultNamespace { get; init; } = Validation.NameRules.DefaultNamespace;

    /// <summary>Readiness and liveness probes on the watchdog's <c>/_/health</c>.</summary>
    public TimeSpan ProbeInitialDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ProbePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>faas-netes CE uses <c>Always</c>; <c>IfNotPresent</c> suits images loaded into a local cluster.</summary>
    public string ImagePullPolicy { get; init; } = "Always";
}
