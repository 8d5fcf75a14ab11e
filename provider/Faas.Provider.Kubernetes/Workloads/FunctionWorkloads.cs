using System.Net;
using Faas.Provider.Kubernetes.Cluster;
using Faas.Provider.Kubernetes.Namespaces;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Wire;
using k8s;
using k8s.Models;

namespace Faas.Provider.Kubernetes.Workloads;

/// <summary>
/// Each function's Deployment and Service on the API server. Reads come from the namespace's cache (from the server
/// while it fills) and see only Deployments the platform made that are not being deleted; every write is remembered
/// in the cache at once, so a read straight after it sees it before the watch does. Callers hold the function's lock.
/// </summary>
internal sealed class FunctionWorkloads(IKubernetes client, FunctionNamespaces namespaces)
{
    private const int ReplaceAttempts = 5;

    /// <summary>The function's Deployment; NotFound unless the platform made it and it is not being deleted.</summary>
    public async Task<V1Deployment> GetAsync(FunctionKey key, CancellationToken cancellationToken)
    {
        if (namespaces.CachesOf(key.Namespace)?.Deployments is { IsSynced: true } cache)
        {
            return cache.Get(key.Name) is { } cached && cached.IsLive() ? ManagedOrNotFound(key, cached) : throw NotFound(key);
        }

        try
        {
            var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(key.Name, key.Namespace, cancellationToken: cancellationToken);
            return deployment.IsLive() ? ManagedOrNotFound(key, deployment) : throw NotFound(key);
        }
        catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.NotFound))
        {
            throw NotFound(key);
        }
        catch (Exception error) when (ApiErrors.Map(error, $"read deployment {key.Name} in namespace {key.Namespace}") is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>The live function Deployments of a namespace.</summary>
    public async Task<IEnumerable<V1Deployment>> ListAsync(string ns, CancellationToken cancellationToken)
    {
        IEnumerable<V1Deployment> deployments = namespaces.CachesOf(ns)?.Deployments is { IsSynced: true } cache
            ? cache.Items
            : (await ApiErrors.CallAsync($"list deployments in namespace {ns}",
                () => client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: FunctionObjects.FunctionLabel, cancellationToken: cancellationToken))).Items;
        return deployments.Where(ObjectLife.IsLive);
    }

    public async Task CreateAsync(FunctionKey key, V1Deployment deployment, V1Service service, CancellationToken cancellationToken)
    {
        // The server checks both objects before either is made, so a refused Service leaves no Deployment behind.
        await CreateOnceAsync(key, deployment, service, dryRun: true, cancellationToken);
        await CreateOnceAsync(key, deployment, service, dryRun: false, cancellationToken);
    }

    /// <summary>
    /// Reads the Deployment, changes what the platform owns (<paramref name="desired"/> from the current one), writes it
    /// back; a concurrent change (the autoscaler) makes it a 409: again. Then the Service.
    /// </summary>
    public async Task ReplaceAsync(FunctionKey key, Func<V1Deployment, V1Deployment> desired, V1Service service, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = ManagedOrNotFound(key, await ApiErrors.CallAsync($"read function {key.Name} in namespace {key.Namespace}",
                () => client.AppsV1.ReadNamespacedDeploymentAsync(key.Name, key.Namespace, cancellationToken: cancellationToken)));
            try
            {
                var replaced = await client.AppsV1.ReplaceNamespacedDeploymentAsync(FunctionObjects.Update(current, desired(current)), key.Name, key.Namespace, cancellationToken: cancellationToken);
                namespaces.CachesOf(key.Namespace)?.Deployments.Remember(replaced);
                break;
            }
            catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.Conflict) && attempt < ReplaceAttempts)
            {
            }
            catch (Exception error) when (ApiErrors.Map(error, $"update deployment {key.Name} in namespace {key.Namespace}") is { } mapped)
            {
                throw mapped;
            }
        }

        await ApplyServiceAsync(service, cancellationToken);
    }

    public async Task ScaleAsync(FunctionKey key, int replicas, CancellationToken cancellationToken)
    {
        var current = await GetAsync(key, cancellationToken);
        var patch = new V1Patch($$$"""{"spec":{"replicas":{{{replicas}}}}}""", V1Patch.PatchType.MergePatch);
        var scale = await ApiErrors.CallAsync($"scale deployment {key.Name} in namespace {key.Namespace}",
            () => client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, key.Name, key.Namespace, cancellationToken: cancellationToken));

        var scaled = KubernetesJson.Deserialize<V1Deployment>(KubernetesJson.Serialize(current));
        scaled.Spec.Replicas = scale.Spec.Replicas;
        scaled.Metadata.ResourceVersion = scale.Metadata.ResourceVersion;
        namespaces.CachesOf(key.Namespace)?.Deployments.Remember(scaled);
    }

    /// <summary>Deletes the Deployment (its pods first), and the Service if the platform made it.</summary>
    public async Task DeleteAsync(FunctionKey key, CancellationToken cancellationToken)
    {
        await GetAsync(key, cancellationToken);
        var foreground = new V1DeleteOptions { PropagationPolicy = "Foreground" };
        await ApiErrors.CallAsync($"delete deployment {key.Name} in namespace {key.Namespace}",
            () => client.AppsV1.DeleteNamespacedDeploymentAsync(key.Name, key.Namespace, foreground, cancellationToken: cancellationToken));
        namespaces.CachesOf(key.Namespace)?.Deployments.Forget(key.Name);
        try
        {
            var service = await client.CoreV1.ReadNamespacedServiceAsync(key.Name, key.Namespace, cancellationToken: cancellationToken);
            if (FunctionObjects.IsManaged(service.Metadata))
            {
                await client.CoreV1.DeleteNamespacedServiceAsync(key.Name, key.Namespace, foreground, cancellationToken: cancellationToken);
            }
        }
        catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.NotFound))
        {
        }
    }

    private async Task CreateOnceAsync(FunctionKey key, V1Deployment deployment, V1Service service, bool dryRun, CancellationToken cancellationToken)
    {
        var mode = dryRun ? "All" : null;
        V1Deployment created;
        try
        {
            created = await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, key.Namespace, dryRun: mode, cancellationToken: cancellationToken);
        }
        catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.Conflict))
        {
            var existing = await ReadOrNullAsync($"read deployment {key.Name} in namespace {key.Namespace}",
                () => client.AppsV1.ReadNamespacedDeploymentAsync(key.Name, key.Namespace, cancellationToken: cancellationToken));
            throw existing is null || !existing.IsLive() ? StillBeingDeleted(key.Name, key.Namespace) : ProviderException.Conflict($"function {key.Name} already exists in namespace {key.Namespace}");
        }
        catch (Exception error) when (ApiErrors.Map(error, $"create deployment {key.Name} in namespace {key.Namespace}") is { } mapped)
        {
            throw mapped;
        }

        if (!dryRun)
        {
            namespaces.CachesOf(key.Namespace)?.Deployments.Remember(created);
        }

        try
        {
            await ApplyServiceAsync(service, cancellationToken, mode);
        }
        catch (ProviderException) when (!dryRun)
        {
            // The Deployment alone would be a function nobody can reach: take it back.
            await client.AppsV1.DeleteNamespacedDeploymentAsync(key.Name, key.Namespace, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: CancellationToken.None);
            namespaces.CachesOf(key.Namespace)?.Deployments.Forget(key.Name);
            throw;
        }
    }

    /// <summary>Creates the function's Service, or replaces one it made before (keeping the cluster-assigned fields).</summary>
    private async Task ApplyServiceAsync(V1Service service, CancellationToken cancellationToken, string? dryRun = null)
    {
        var (name, ns) = (service.Metadata.Name, service.Metadata.NamespaceProperty);
        try
        {
            await client.CoreV1.CreateNamespacedServiceAsync(service, ns, dryRun: dryRun, cancellationToken: cancellationToken);
        }
        catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.Conflict))
        {
            var current = await ReadOrNullAsync($"read service {name} in namespace {ns}",
                () => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken));
            if (current is null || !current.IsLive())
            {
                // The Service of a function deleted a moment ago, gone or going between the create and the read: as for
                // its Deployment, a conflict (a redeploy raced with the delete), not a function that does not exist.
                throw StillBeingDeleted(name, ns);
            }

            if (!FunctionObjects.IsManaged(current.Metadata))
            {
                throw ProviderException.Conflict($"a Service named {name} that the platform did not make exists in namespace {ns}");
            }

            service.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
            service.Spec.ClusterIP = current.Spec.ClusterIP;
            service.Spec.ClusterIPs = current.Spec.ClusterIPs;
            await ApiErrors.CallAsync($"update service {name} in namespace {ns}",
                () => client.CoreV1.ReplaceNamespacedServiceAsync(service, name, ns, dryRun: dryRun, cancellationToken: cancellationToken));
        }
        catch (Exception error) when (ApiErrors.Map(error, $"create service {name} in namespace {ns}") is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>An object read after a create met a conflict; null if it is gone since.</summary>
    private static Task<T?> ReadOrNullAsync<T>(string what, Func<Task<T>> read)
        where T : class =>
        ApiErrors.CallAsync(what, async () =>
        {
            try
            {
                return await read();
            }
            catch (Exception gone) when (ApiErrors.IsStatus(gone, HttpStatusCode.NotFound))
            {
                return null;
            }
        });

    private static ProviderException StillBeingDeleted(string name, string ns) =>
        ProviderException.Conflict($"function {name} in namespace {ns} is still being deleted: deploy it again once it is gone");

    private static V1Deployment ManagedOrNotFound(FunctionKey key, V1Deployment deployment) =>
        deployment.Metadata.Labels?.ContainsKey(FunctionObjects.FunctionLabel) == true ? deployment : throw NotFound(key);

    private static ProviderException NotFound(FunctionKey key) => ProviderException.NotFound($"function {key.Name} not found in namespace {key.Namespace}");
}
