using k8s;
using k8s.Models;

namespace Faas.Provider.Kubernetes.Cluster;

internal static class ObjectLife
{
    /// <summary>Not being deleted: an object with a deletion timestamp is still listed until its finalizers are done.</summary>
    public static bool IsLive(this IKubernetesObject<V1ObjectMeta> item) => item.Metadata.DeletionTimestamp is null;
}
