using Faas.Provider.Kubernetes.Cluster;
using Faas.Provider.Kubernetes.Endpoints;
using Faas.Provider.Kubernetes.Objects;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Faas.Provider.Kubernetes.Namespaces;

/// <summary>What the gateway keeps of one function namespace: its functions' Deployments and its EndpointSlices, each watched.</summary>
internal sealed class NamespaceCaches : IAsyncDisposable
{
    public NamespaceCaches(IKubernetes client, string @namespace, int watchSeconds, ILogger log, Action<V1EndpointSlice> sliceChanged)
    {
        Deployments = new WatchedCollection<V1Deployment>($"deployments in namespace {@namespace}",
            async ct =>
            {
                var list = await client.AppsV1.ListNamespacedDeploymentAsync(@namespace, labelSelector: FunctionObjects.FunctionLabel, cancellationToken: ct);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (version, onError, ct) => client.AppsV1.WatchListNamespacedDeploymentAsync(@namespace, labelSelector: FunctionObjects.FunctionLabel,
                resourceVersion: version, allowWatchBookmarks: true, timeoutSeconds: watchSeconds, onError: onError, cancellationToken: ct),
            log).Start();
        Slices = new WatchedCollection<V1EndpointSlice>($"endpoint slices in namespace {@namespace}",
            async ct =>
            {
                var list = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync(@namespace, labelSelector: ReadyEndpoints.ServiceNameLabel, cancellationToken: ct);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (version, onError, ct) => client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(@namespace, labelSelector: ReadyEndpoints.ServiceNameLabel,
                resourceVersion: version, allowWatchBookmarks: true, timeoutSeconds: watchSeconds, onError: onError, cancellationToken: ct),
            log, sliceChanged).Start();
    }

    public WatchedCollection<V1Deployment> Deployments { get; }

    public WatchedCollection<V1EndpointSlice> Slices { get; }

    public async ValueTask DisposeAsync()
    {
        await Deployments.DisposeAsync();
        await Slices.DisposeAsync();
    }
}
