using System.Collections.Concurrent;
using Faas.Provider.Kubernetes.Api;
using Faas.Provider.Kubernetes.Client;

namespace Faas.Provider.Kubernetes.Endpoints;

/// <summary>
/// Ready pod addresses of every function, from the EndpointSlices of their Services (the gateway balances across pods
/// directly, one hop fewer than through the Service). One list-then-watch loop per function namespace: watches resume
/// from the last resourceVersion (bookmarks keep it fresh), and a 410 Gone lists again. Where EndpointSlices cannot be
/// read (forbidden by RBAC, or an API server without discovery.k8s.io/v1), a function's endpoint is its Service's DNS
/// name instead, and the cluster balances.
/// </summary>
public sealed class EndpointSliceWatcher(KubeResources api, EndpointFeed feed) : IAsyncDisposable
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>How often a namespace whose slices cannot be read is tried again (RBAC may be fixed meanwhile).</summary>
    private static readonly TimeSpan UnreadableRetry = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Namespace, string Slice), EndpointSlice> _slices = new();
    private readonly ConcurrentDictionary<string, Task> _watches = new();
    private readonly ConcurrentDictionary<string, bool> _unreadable = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Starts watching <paramref name="namespace"/> unless it already is.</summary>
    public void Watch(string @namespace) => _watches.GetOrAdd(@namespace, ns => Task.Run(() => RunAsync(ns, _stop.Token)));

    public IReadOnlyList<ReplicaEndpoint> ReadyEndpoints(FunctionKey function) =>
        _unreadable.ContainsKey(function.Namespace)
            ? [new ReplicaEndpoint(function.Name, $"{function.Name}.{function.Namespace}.svc.cluster.local", Objects.FunctionObjects.WatchdogPort)]
            : [.. _slices.Where(pair => pair.Key.Namespace == function.Namespace && pair.Value.Metadata.Labels?.GetValueOrDefault(ServiceNameLabel) == function.Name)
            .OrderBy(pair => pair.Key.Slice, StringComparer.Ordinal).SelectMany(pair => Ready(pair.Value))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_watches.Values);
    }

    private async Task RunAsync(string @namespace, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var list = await api.EndpointSlices.ListAsync(@namespace, ServiceNameLabel, stopping);
                _unreadable.TryRemove(@namespace, out _);
                Replace(@namespace, list.Items);
                var version = list.Metadata.ResourceVersion ?? "0";
                while (!stopping.IsCancellationRequested)
                {
                    await foreach (var change in api.EndpointSlices.WatchAsync(@namespace, ServiceNameLabel, version, stopping))
                    {
                        version = change.Object?.Metadata.ResourceVersion ?? version;
                        Apply(@namespace, change);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesException error) when (error.IsGone)
            {
                // The resourceVersion is older than the server keeps: list afresh.
            }
            catch (KubernetesException error) when (error.Code is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
            {
                _unreadable[@namespace] = true;
                await Task.Delay(UnreadableRetry, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (Exception error) when (error is KubernetesException or HttpRequestException or IOException)
            {
                await Task.Delay(RetryDelay, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Replace(string @namespace, List<EndpointSlice> items)
    {
        var before = _slices.Where(pair => pair.Key.Namespace == @namespace).ToList();
        foreach (var (key, _) in before)
        {
            _slices.TryRemove(key, out _);
        }

        foreach (var slice in items)
        {
            _slices[(@namespace, slice.Metadata.Name ?? "")] = slice;
        }

        foreach (var service in before.Select(pair => ServiceOf(pair.Value)).Concat(items.Select(ServiceOf)).OfType<string>().Distinct())
        {
            Publish(new FunctionKey(service, @namespace));
        }
    }

    private void Apply(string @namespace, WatchEvent<EndpointSlice> change)
    {
        if (change.Object is not { } slice || change.Type == "BOOKMARK")
        {
            return;
        }

        var key = (@namespace, slice.Metadata.Name ?? "");
        if (change.Type == "DELETED")
        {
            _slices.TryRemove(key, out _);
        }
        else
        {
            _slices[key] = slice;
        }

        if (ServiceOf(slice) is { } service)
        {
            Publish(new FunctionKey(service, @namespace));
        }
    }

    private void Publish(FunctionKey function) => feed.Publish(new EndpointsChanged(function, ReadyEndpoints(function)));

    private static string? ServiceOf(EndpointSlice slice) => slice.Metadata.Labels?.GetValueOrDefault(ServiceNameLabel);

    /// <summary>Endpoints whose <c>ready</c> condition is true or unknown (null counts as ready, per the API).</summary>
    private static IEnumerable<ReplicaEndpoint> Ready(EndpointSlice slice)
    {
        var port = slice.Ports?.FirstOrDefault(p => p.Name == "http")?.Port ?? slice.Ports?.FirstOrDefault()?.Port ?? Objects.FunctionObjects.WatchdogPort;
        return (slice.Endpoints ?? []).Where(endpoint => endpoint.Conditions?.Ready != false)
            .SelectMany(endpoint => endpoint.Addresses.Select(address => new ReplicaEndpoint(endpoint.TargetRef?.Name ?? address, address, port)));
    }
}
