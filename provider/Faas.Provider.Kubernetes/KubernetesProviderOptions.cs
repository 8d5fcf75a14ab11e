namespace Faas.Provider.Kubernetes;

/// <summary>Settings of the Kubernetes backend (section <c>Gateway:Kubernetes</c>).</summary>
public sealed class KubernetesProviderOptions
{
    /// <summary>A kubeconfig file; null for <c>$KUBECONFIG</c>, <c>~/.kube/config</c>, then in-cluster.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Functions live only in namespaces carrying this label (<c>key=value</c>), several at once.</summary>
    public string FunctionNamespaceLabel { get; set; } = "openfaas=1";

    /// <summary>Where functions go when a request names no namespace.</summary>
    public string DefaultNamespace { get; set; } = Validation.NameRules.DefaultNamespace;

    /// <summary>Readiness and liveness probes on the watchdog's <c>/_/health</c>.</summary>
    public TimeSpan ProbeInitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>faas-netes CE uses <c>Always</c>; <c>IfNotPresent</c> suits images loaded into a local cluster.</summary>
    public string ImagePullPolicy { get; set; } = "Always";
}
