using System.Collections.Concurrent;
using System.Diagnostics;

namespace Faas.Proxy.Upstream;

/// <summary>
/// Keep-alive connections to one upstream endpoint. Most recently used first, so a few hot connections
/// serve steady traffic; idle ones past the idle timeout, or that the upstream closed, are dropped.
/// </summary>
internal sealed class ConnectionPool(string host, int port, UpstreamClientOptions options) : IDisposable
{
    private static readonly TimeSpan RecentlyUsed = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentStack<UpstreamConnection> _idle = new();
    private volatile bool _disposed;

    public string Host => host;

    public int Port => port;

    public async ValueTask<UpstreamConnection> RentAsync(bool fresh, CancellationToken cancellationToken)
    {
        while (!fresh && _idle.TryPop(out var idle))
        {
            // A connection used moments ago is almost never stale, and a syscall per request is expensive; the
            // forwarder retries once on a fresh connection if one was. Longer-idle ones are checked first.
            var idleFor = Stopwatch.GetElapsedTime(idle.IdleSinceTimestamp);
            if (idleFor < options.IdleTimeout && (idleFor < RecentlyUsed || idle.LooksAlive()))
            {
                idle.IsReused = true;
                return idle;
            }

            idle.Dispose();
        }

        using var connectDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectDeadline.CancelAfter(options.ConnectTimeout);
        return await UpstreamConnection.ConnectAsync(host, port, connectDeadline.Token).ConfigureAwait(false);
    }

    public void Return(UpstreamConnection connection)
    {
        if (_disposed || _idle.Count >= options.MaxIdleConnectionsPerEndpoint)
        {
            connection.Dispose();
            return;
        }

        connection.IdleSinceTimestamp = Stopwatch.GetTimestamp();
        _idle.Push(connection);
    }

    /// <summary>Closes idle connections that have outlived the idle timeout.</summary>
    public void Prune()
    {
        var keep = new List<UpstreamConnection>();
        while (_idle.TryPop(out var connection))
        {
            if (Stopwatch.GetElapsedTime(connection.IdleSinceTimestamp) < options.IdleTimeout)
            {
                keep.Add(connection);
            }
            else
            {
                connection.Dispose();
            }
        }

        for (var i = keep.Count - 1; i >= 0; i--)
        {
            _idle.Push(keep[i]);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryPop(out var connection))
        {
            connection.Dispose();
        }
    }
}
