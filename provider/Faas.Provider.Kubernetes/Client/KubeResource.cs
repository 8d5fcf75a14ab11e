using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Faas.Provider.Kubernetes.Api;

namespace Faas.Provider.Kubernetes.Client;

/// <summary>
/// One resource type of the API (<c>/apis/apps/v1/namespaces/NS/deployments</c> and so on): get, list by label selector,
/// create, replace (with the object's resourceVersion: a stale one is a 409), patch, delete with a propagation
/// policy, and watch from a resourceVersion (bookmarks asked for; a 410 Gone surfaces as <see cref="KubernetesException.IsGone"/>).
/// </summary>
public sealed class KubeResource<T>(KubernetesClient client, string prefix, string plural, bool namespaced, JsonTypeInfo<T> item, JsonTypeInfo<KubeList<T>> list, JsonTypeInfo<WatchEvent<T>>? watch)
{
    public string Collection(string? @namespace) =>
        namespaced && @namespace is not null ? $"{prefix}/namespaces/{Uri.EscapeDataString(@namespace)}/{plural}" : $"{prefix}/{plural}";

    public string Path(string? @namespace, string name) => $"{Collection(@namespace)}/{Uri.EscapeDataString(name)}";

    public Task<T> GetAsync(string? @namespace, string name, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Get, Path(@namespace, name), null, item, $"get {plural} {name}", cancellationToken);

    /// <summary>All objects (in one namespace, or every namespace when null) matching <paramref name="labelSelector"/>.</summary>
    public Task<KubeList<T>> ListAsync(string? @namespace, string? labelSelector, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Get, Collection(@namespace) + Query(("labelSelector", labelSelector)), null, list, $"list {plural}", cancellationToken);

    public Task<T> CreateAsync(string? @namespace, T value, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Post, Collection(@namespace), KubernetesClient.Json(value, item), item, $"create {plural}", cancellationToken);

    public Task<T> ReplaceAsync(string? @namespace, string name, T value, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Put, Path(@namespace, name), KubernetesClient.Json(value, item), item, $"replace {plural} {name}", cancellationToken);

    /// <param name="patchType"><see cref="KubernetesClient.MergePatch"/> or <see cref="KubernetesClient.StrategicMergePatch"/>.</param>
    public Task<T> PatchAsync(string? @namespace, string name, string patch, string patchType, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Patch, Path(@namespace, name), new StringContent(patch, Encoding.UTF8, patchType), item, $"patch {plural} {name}", cancellationToken);

    /// <param name="propagation"><c>Foreground</c>, <c>Background</c> or <c>Orphan</c>.</param>
    public async Task DeleteAsync(string? @namespace, string name, string propagation, CancellationToken cancellationToken)
    {
        var body = new StringContent($$"""{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"{{propagation}}"}""", Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(HttpMethod.Delete, Path(@namespace, name), body, $"delete {plural} {name}", HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <summary>Changes after <paramref name="resourceVersion"/>, as events; BOOKMARK events carry only a newer resourceVersion.</summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? @namespace, string? labelSelector, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var type = watch ?? throw new InvalidOperationException($"{plural} are not watched by this client");
        var path = Collection(@namespace) + Query(("watch", "true"), ("allowWatchBookmarks", "true"), ("resourceVersion", resourceVersion), ("labelSelector", labelSelector));
        await foreach (var line in client.StreamLinesAsync(path, $"watch {plural}", cancellationToken))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var header = JsonSerializer.Deserialize(line, KubeJson.Default.WatchEventObjectHeader);
            if (header?.Type == "ERROR")
            {
                var status = header.Object;
                throw new KubernetesException((System.Net.HttpStatusCode)(status?.Code ?? 500),
                    new Status { Code = status?.Code ?? 500, Reason = status?.Reason, Message = status?.Message }, $"watch {plural}");
            }

            if (JsonSerializer.Deserialize(line, type) is { } change)
            {
                yield return change;
            }
        }
    }

    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }

}

/// <summary>The resources this backend uses.</summary>
public sealed class KubeResources(KubernetesClient client)
{
    public KubeResource<Deployment> Deployments { get; } = new(client, "/apis/apps/v1", "deployments", true, KubeJson.Default.Deployment, KubeJson.Default.KubeListDeployment, KubeJson.Default.WatchEventDeployment);

    public KubeResource<Service> Services { get; } = new(client, "/api/v1", "services", true, KubeJson.Default.Service, KubeJson.Default.KubeListService, null);

    public KubeResource<Secret> Secrets { get; } = new(client, "/api/v1", "secrets", true, KubeJson.Default.Secret, KubeJson.Default.KubeListSecret, null);

    public KubeResource<Pod> Pods { get; } = new(client, "/api/v1", "pods", true, KubeJson.Default.Pod, KubeJson.Default.KubeListPod, null);

    public KubeResource<Namespace> Namespaces { get; } = new(client, "/api/v1", "namespaces", false, KubeJson.Default.Namespace, KubeJson.Default.KubeListNamespace, null);

    public KubeResource<EndpointSlice> EndpointSlices { get; } = new(client, "/apis/discovery.k8s.io/v1", "endpointslices", true, KubeJson.Default.EndpointSlice, KubeJson.Default.KubeListEndpointSlice, KubeJson.Default.WatchEventEndpointSlice);

    /// <summary>The <c>scale</c> subresource of a Deployment.</summary>
    public Task<Scale> GetScaleAsync(string @namespace, string deployment, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Get, Deployments.Path(@namespace, deployment) + "/scale", null, KubeJson.Default.Scale, $"get scale of {deployment}", cancellationToken);

    public Task<Scale> PatchScaleAsync(string @namespace, string deployment, int replicas, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Patch, Deployments.Path(@namespace, deployment) + "/scale",
            new StringContent($$$"""{"spec":{"replicas":{{{replicas}}}}}""", Encoding.UTF8, KubernetesClient.MergePatch), KubeJson.Default.Scale, $"scale {deployment}", cancellationToken);

    /// <summary>A pod's log lines (of its one container), optionally followed, from <paramref name="sinceSeconds"/> ago or the last <paramref name="tailLines"/>.</summary>
    public IAsyncEnumerable<string> PodLogAsync(string @namespace, string pod, bool follow, long? sinceSeconds, int? tailLines, CancellationToken cancellationToken) =>
        client.StreamLinesAsync(Pods.Path(@namespace, pod) + "/log" + KubeResource<Pod>.Query(
            ("follow", follow ? "true" : null), ("timestamps", "true"),
            ("sinceSeconds", sinceSeconds?.ToString(CultureInfo.InvariantCulture)), ("tailLines", tailLines?.ToString(CultureInfo.InvariantCulture))), $"logs of {pod}", cancellationToken);
}
