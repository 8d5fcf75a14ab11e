using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Faas.Provider.Kubernetes.Cluster;

/// <summary>
/// One kind of object in one scope (a namespace, or the cluster), kept current by list-then-watch as client-go's
/// reflector does: a LIST, then a WATCH from its resourceVersion that is re-opened where it ended (bookmarks keep the
/// version fresh), a 410 Gone lists again, and any failure backs off (1 s doubling to 30 s) and tries again without end.
/// Readers never call the API: they read <see cref="Items"/>. While the server is away the last known objects stay.
/// </summary>
internal sealed partial class WatchedCollection<T> : IAsyncDisposable where T : IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly string _description;
    private readonly Func<CancellationToken, Task<(IList<T> Items, string Version)>> _list;
    private readonly Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> _watch;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;

    /// <param name="description">What is watched, for logs and status ("deployments in namespace x").</param>
    /// <param name="changed">Called with each object that was added, changed or deleted (after the collection holds the change).</param>
    public WatchedCollection(string description, Func<CancellationToken, Task<(IList<T> Items, string Version)>> list,
        Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch, ILogger log, Action<T>? changed = null)
    {
        _description = description;
        _list = list;
        _watch = watch;
        _log = log;
        Changed = changed;
    }

    public IReadOnlyCollection<T> Items => (IReadOnlyCollection<T>)_items.Values;

    /// <summary>True once a LIST succeeded: <see cref="Items"/> is the cluster's state, not just empty.</summary>
    public bool IsSynced => _synced.Task.IsCompleted;

    /// <summary>Why the collection may be stale now (the last failure); null while watching.</summary>
    public ProviderException? Failure { get; private set; }

    private Action<T>? Changed { get; }

    public T? Get(string name) => _items.TryGetValue(name, out var item) ? item : default;

    /// <summary>Starts listing and watching (apart from construction, so that an owner's <c>changed</c> callback finds it assigned).</summary>
    public WatchedCollection<T> Start()
    {
        _loop = Task.Run(() => RunAsync(_stop.Token));
        return this;
    }

    /// <summary>Waits until the first LIST succeeded, or the token ends the wait.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Takes an object the caller just wrote (the API's answer), so that a read right after a write sees it before the
    /// watch event arrives; an older version than the one held is ignored.
    /// </summary>
    public void Remember(T item)
    {
        _items.AddOrUpdate(item.Metadata.Name, item, (_, held) => IsNewer(item, held) ? item : held);
        Changed?.Invoke(item);
    }

    public void Forget(string name)
    {
        if (_items.TryRemove(name, out var item))
        {
            Changed?.Invoke(item);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var (items, version) = await _list(stopping);
                Replace(items);
                _synced.TrySetResult();
                if (Failure is not null)
                {
                    LogRecovered(_log, _description);
                    Failure = null;
                }

                backoff = FirstBackoff;
                await WatchFromAsync(version, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.Gone))
            {
                // The version listed is already older than the server keeps: list again at once.
            }
            catch (Exception error)
            {
                Failure = ApiErrors.Map(error, $"watch {_description}") ?? ProviderException.Unavailable($"watching {_description} failed: {error.Message}");
                LogFailed(_log, _description, backoff.TotalSeconds, Failure.Message);
                await Task.Delay(backoff, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LastBackoff.Ticks));
            }
        }
    }

    /// <summary>Watches until the history is gone (410: return to list again) or a failure (thrown).</summary>
    private async Task WatchFromAsync(string version, CancellationToken stopping)
    {
        while (true)
        {
            Exception? streamError = null;
            await foreach (var (type, item) in _watch(version, error => streamError = error, stopping))
            {
                version = item.Metadata?.ResourceVersion ?? version;
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        _items[item.Metadata!.Name] = item;
                        Changed?.Invoke(item);
                        break;
                    case WatchEventType.Deleted:
                        _items.TryRemove(item.Metadata!.Name, out _);
                        Changed?.Invoke(item);
                        break;
                }
            }

            switch (streamError)
            {
                case KubernetesException { Status.Code: (int)HttpStatusCode.Gone }:
                    return;
                case not null:
                    throw streamError;
            }
        }
    }

    private void Replace(IList<T> items)
    {
        var names = items.Select(item => item.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, gone) in _items.Where(pair => !names.Contains(pair.Key)).ToList())
        {
            _items.TryRemove(name, out _);
            Changed?.Invoke(gone);
        }

        foreach (var item in items)
        {
            _items[item.Metadata.Name] = item;
            Changed?.Invoke(item);
        }
    }

    /// <summary>resourceVersions are opaque, but etcd's are increasing integers; where either is not one, the newcomer wins.</summary>
    private static bool IsNewer(T item, T held) =>
        !long.TryParse(item.Metadata.ResourceVersion, out var mine) || !long.TryParse(held.Metadata.ResourceVersion, out var theirs) || mine >= theirs;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes: {What} failed, trying again in {Seconds} s: {Problem}")]
    private static partial void LogFailed(ILogger log, string what, double seconds, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes: {What} is current again")]
    private static partial void LogRecovered(ILogger log, string what);
}
