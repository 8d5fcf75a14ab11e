using System.Collections.Concurrent;
using Faas.Provider.Kubernetes.Cluster;
using Faas.Provider.Kubernetes.Endpoints;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Faas.Provider.Kubernetes.Namespaces;

/// <summary>
/// The namespaces carrying the function-namespace label, watched, and for each one its <see cref="NamespaceCaches"/>,
/// started when the label appears and stopped when it goes (or the namespace is being deleted). An idle gateway makes
/// no API request beyond re-opening these watches.
/// </summary>
internal sealed class FunctionNamespaces : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, NamespaceCaches> _caches = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _retired = [];
    private readonly IKubernetes _client;
    private readonly int _watchSeconds;
    private readonly ILogger _log;
    private readonly EndpointFeed _feed;
    private readonly WatchedCollection<V1Namespace> _namespaces;
    private readonly Lock _changing = new();

    public FunctionNamespaces(IKubernetes client, string label, TimeSpan watchTimeout, ILogger log, EndpointFeed feed)
    {
        _client = client;
        _watchSeconds = (int)watchTimeout.TotalSeconds;
        _log = log;
        _feed = feed;
        _namespaces = new WatchedCollection<V1Namespace>($"namespaces labelled {label}",
            async ct =>
            {
                var list = await client.CoreV1.ListNamespaceAsync(labelSelector: label, cancellationToken: ct);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (version, onError, ct) => client.CoreV1.WatchListNamespaceAsync(labelSelector: label, resourceVersion: version, allowWatchBookmarks: true,
                timeoutSeconds: _watchSeconds, onError: onError, cancellationToken: ct),
            log, Changed);
        _namespaces.Start();
    }

    public bool IsSynced => _namespaces.IsSynced;

    /// <summary>Why what the gateway knows of the cluster may be stale; null while every watch is current.</summary>
    public ProviderException? Failure =>
        _namespaces.Failure ?? _caches.Values.Select(caches => caches.Deployments.Failure ?? caches.Slices.Failure).FirstOrDefault(failure => failure is not null);

    public IReadOnlyList<string> Names => [.. _caches.Keys.Order(StringComparer.Ordinal)];

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _namespaces.WaitForSyncAsync(cancellationToken);

    public V1Namespace? Get(string name) => _caches.ContainsKey(name) ? _namespaces.Get(name) : null;

    public NamespaceCaches? CachesOf(string @namespace) => _caches.GetValueOrDefault(@namespace);

    public IReadOnlyList<ReplicaEndpoint> ReadyEndpointsOf(FunctionKey function)
    {
        if (CachesOf(function.Namespace) is not { } caches)
        {
            return [];
        }

        return caches.Slices.Failure is { Kind: ProviderError.Refused or ProviderError.NotFound }
            ? [ReadyEndpoints.ServiceName(function)]
            : ReadyEndpoints.Of(function.Name, caches.Slices.Items);
    }

    public async ValueTask DisposeAsync()
    {
        await _namespaces.DisposeAsync();
        foreach (var caches in _caches.Values)
        {
            await caches.DisposeAsync();
        }

        await Task.WhenAll(_retired);
    }

    private void Changed(V1Namespace changed)
    {
        var name = changed.Metadata.Name;
        lock (_changing)
        {
            var live = _namespaces.Get(name) is { } held && held.Metadata.DeletionTimestamp is null && held.Status?.Phase != "Terminating";
            if (live && !_caches.ContainsKey(name))
            {
                _caches[name] = new NamespaceCaches(_client, name, _watchSeconds, _log, slice => SliceChanged(name, slice));
            }
            else if (!live && _caches.TryRemove(name, out var gone))
            {
                _retired.Add(gone.DisposeAsync().AsTask());
            }
        }
    }

    private void SliceChanged(string @namespace, V1EndpointSlice slice)
    {
        if (ReadyEndpoints.ServiceOf(slice) is { } service)
        {
            var function = new FunctionKey(service, @namespace);
            _feed.Publish(new EndpointsChanged(function, ReadyEndpointsOf(function)));
        }
    }
}
