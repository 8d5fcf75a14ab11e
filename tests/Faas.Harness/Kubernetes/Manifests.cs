using k8s;
using k8s.Models;

namespace Faas.Harness.Kubernetes;

/// <summary>The project's install manifests (<c>deploy/kubernetes/</c>), applied to a real API server as <c>kubectl apply</c> would create them.</summary>
public static class Manifests
{
    public static IEnumerable<object> Load(string file) =>
        KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "kubernetes", file)));

    /// <summary>Creates each object, skipping those that exist (the manifests' namespaces, shared cluster roles).</summary>
    public static async Task CreateAsync(IKubernetes client, IEnumerable<object> objects)
    {
        foreach (var item in objects)
        {
            try
            {
                Task create = item switch
                {
                    V1Namespace ns => client.CoreV1.CreateNamespaceAsync(ns),
                    V1ServiceAccount account => client.CoreV1.CreateNamespacedServiceAccountAsync(account, account.Metadata.NamespaceProperty),
                    V1ClusterRole role => client.RbacAuthorizationV1.CreateClusterRoleAsync(role),
                    V1ClusterRoleBinding binding => client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding),
                    V1Role role => client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, role.Metadata.NamespaceProperty),
                    V1RoleBinding binding => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, binding.Metadata.NamespaceProperty),
                    _ => throw new NotSupportedException($"{item.GetType().Name} is not applied by the tests"),
                };
                await create;
            }
            catch (k8s.Autorest.HttpOperationException error) when (error.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
            }
        }
    }
}
