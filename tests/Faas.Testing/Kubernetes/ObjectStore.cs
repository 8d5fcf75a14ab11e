using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Faas.Testing.Kubernetes;

/// <summary>
/// The double's etcd: objects by resource, namespace and name, one resourceVersion counter for every write (as the real
/// server's is), and a log of changes that watches replay from a resourceVersion. <see cref="Compact"/> drops old
/// history, so a watch from before it gets 410 Gone, as after a real compaction.
/// </summary>
public sealed class ObjectStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Resource, string Namespace, string Name), JsonObject> _objects = [];
    private readonly List<Change> _history = [];
    private readonly List<Channel<Change>> _watchers = [];
    private long _version = 100;
    private long _oldestWatchable = 100;

    public sealed record Change(long Version, string Resource, string Namespace, string Type, JsonObject Object);

    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    public JsonObject? Get(string resource, string @namespace, string name)
    {
        lock (_lock)
        {
            return _objects.TryGetValue((resource, @namespace, name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    public List<JsonObject> List(string resource, string? @namespace)
    {
        lock (_lock)
        {
            return [.. _objects.Where(pair => pair.Key.Resource == resource && (@namespace is null || pair.Key.Namespace == @namespace))
                .OrderBy(pair => pair.Key.Namespace, StringComparer.Ordinal).ThenBy(pair => pair.Key.Name, StringComparer.Ordinal)
                .Select(pair => (JsonObject)pair.Value.DeepClone())];
        }
    }

    /// <summary>Stores <paramref name="value"/> under a new resourceVersion and records the change; returns what was stored.</summary>
    public JsonObject Put(string resource, string @namespace, string name, JsonObject value, string type)
    {
        lock (_lock)
        {
            _version++;
            var metadata = value["metadata"] as JsonObject ?? [];
            value["metadata"] = metadata;
            metadata["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
            _objects[(resource, @namespace, name)] = (JsonObject)value.DeepClone();
            Record(new Change(_version, resource, @namespace, type, (JsonObject)value.DeepClone()));
            return value;
        }
    }

    public JsonObject? Delete(string resource, string @namespace, string name)
    {
        lock (_lock)
        {
            if (!_objects.Remove((resource, @namespace, name), out var removed))
            {
                return null;
            }

            _version++;
            removed["metadata"]!["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
            Record(new Change(_version, resource, @namespace, "DELETED", (JsonObject)removed.DeepClone()));
            return removed;
        }
    }

    /// <summary>Changes after <paramref name="since"/>, then every later one as it happens; null if that history is compacted away.</summary>
    public (List<Change> Past, ChannelReader<Change> Live, Action Stop)? Subscribe(long since)
    {
        lock (_lock)
        {
            if (since < _oldestWatchable)
            {
                return null;
            }

            var channel = Channel.CreateUnbounded<Change>();
            _watchers.Add(channel);
            return ([.. _history.Where(change => change.Version > since)], channel.Reader, () =>
            {
                lock (_lock)
                {
                    _watchers.Remove(channel);
                }

                channel.Writer.TryComplete();
            });
        }
    }

    /// <summary>Forgets history up to now: watches from an older resourceVersion get 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _oldestWatchable = _version;
        }
    }

    /// <summary>Ends every open watch (as the server does when a watch's timeout passes); clients resume from their last resourceVersion.</summary>
    public void EndWatches()
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    public long OldestWatchable
    {
        get
        {
            lock (_lock)
            {
                return _oldestWatchable;
            }
        }
    }

    private void Record(Change change)
    {
        _history.Add(change);
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(change);
        }
    }
}
