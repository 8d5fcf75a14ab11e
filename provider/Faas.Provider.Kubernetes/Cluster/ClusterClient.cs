using k8s;
using k8s.Exceptions;

namespace Faas.Provider.Kubernetes.Cluster;

/// <summary>
/// The client of the cluster the settings name: a kubeconfig file (the configured one, else <c>$KUBECONFIG</c> or
/// <c>~/.kube/config</c>, with its <c>exec</c> credential plugins, as EKS, GKE and AKS write them), else the pod's
/// service account in a cluster. A file that does not load is a bad setting, not an outage.
/// </summary>
internal static class ClusterClient
{
    public static (IKubernetes Client, string? ContextNamespace) Create(KubernetesProviderOptions options)
    {
        var configuration = Configuration(options);
        return (new k8s.Kubernetes(configuration), configuration.Namespace);
    }

    private static KubernetesClientConfiguration Configuration(KubernetesProviderOptions options)
    {
        try
        {
            if (!string.IsNullOrEmpty(options.Kubeconfig))
            {
                return File.Exists(options.Kubeconfig)
                    ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig)
                    : throw ProviderStartException.BadSettings($"Gateway:Kubernetes:Kubeconfig: {options.Kubeconfig} does not exist");
            }

            var defaultFile = Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } named ? named : KubernetesClientConfiguration.KubeConfigDefaultLocation;
            if (File.Exists(defaultFile.Split(Path.PathSeparator)[0]))
            {
                return KubernetesClientConfiguration.BuildDefaultConfig();
            }

            return KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : throw ProviderStartException.BadSettings("the Kubernetes backend found no kubeconfig (Gateway:Kubernetes:Kubeconfig, $KUBECONFIG, ~/.kube/config) and is not running in a cluster");
        }
        catch (Exception error) when (error is KubeConfigException or YamlDotNet.Core.YamlException)
        {
            throw ProviderStartException.BadSettings($"the kubeconfig does not load: {error.Message}", error);
        }
    }
}
