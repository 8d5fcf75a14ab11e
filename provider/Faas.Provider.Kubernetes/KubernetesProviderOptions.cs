using Faas.Provider.Kubernetes.Objects;

namespace Faas.Provider.Kubernetes;

/// <summary>Settings of the Kubernetes backend (section <c>Gateway:Kubernetes</c>).</summary>
internal sealed class KubernetesProviderOptions
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

    /// <summary><c>Always</c> (faas-netes CE's default), <c>IfNotPresent</c> or <c>Never</c> (images loaded into a local cluster).</summary>
    public string ImagePullPolicy { get; set; } = "Always";

    /// <summary>
    /// Several gateway replicas elect one to run the singletons (autoscaler, cron) through a Lease. The Lease lives in
    /// <see cref="LeaseNamespace"/>: null for the gateway's own namespace in a cluster, else the kubeconfig context's.
    /// </summary>
    public bool LeaderElection { get; set; } = true;

    public string? LeaseNamespace { get; set; }

    public string LeaseName { get; set; } = "faas-gateway";

    /// <summary>How long a leader holds the Lease without renewing; a follower takes over after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the leader renews (and a follower checks): each is two API requests.</summary>
    public TimeSpan LeaseRetryPeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Watches are re-opened after this (the server would end them after 30-60 min anyway); each is one request.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    internal PodSettings Pods => new() { ImagePullPolicy = ImagePullPolicy, ProbeInitialDelay = ProbeInitialDelay, ProbePeriod = ProbePeriod };
}
