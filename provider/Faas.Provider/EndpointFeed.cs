using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Faas.Provider;

/// <summary>Broadcasts changes of ready replicas to every watcher (the gateway's routing table).</summary>
public sealed class EndpointFeed
{
    private readonly Lock _lock = new();
    private readonly List<Channel<EndpointsChanged>> _watchers = [];

    public void Publish(EndpointsChanged change)
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(change);
            }
        }
    }

    public async IAsyncEnumerable<EndpointsChanged> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<EndpointsChanged>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            _watchers.Add(channel);
        }

        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return change;
            }
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(channel);
            }
        }
    }
}
