using System.Diagnostics;

namespace Faas.Proxy.Upstream;

/// <summary>
/// Keep-alive connections to one upstream endpoint. Most recently used first, so a few hot connections
/// serve steady traffic; idle ones past the idle timeout, or that the upstream closed, are dropped.
/// </summary>
internal sealed class ConnectionPool(string host, int port, UpstreamClientOptions options) : IDisposable
{
    private static readonly TimeSpan RecentlyUsed = TimeSpan.FromMilliseconds(500);

    // A locked stack rather than ConcurrentStack: no node allocated per return, and the lock is all but uncontended.
    private readonly Stack<UpstreamConnection> _idle = new();
    private readonly Lock _lock = new();
    private volatile bool _disposed;

    public string Host => host;

    public int Port => port;

    public async ValueTask<UpstreamConnection> RentAsync(bool fresh, CancellationToken cancellationToken)
    {
        while (!fresh && TryPop(out var idle))
        {
            // A connection used moments ago is almost never stale, and a syscall per request is expensive; the
            // forwarder retries once on a fresh connection if one was. Longer-idle ones are checked first.
            var idleFor = Stopwatch.GetElapsedTime(idle.IdleSinceTimestamp);
            if (idleFor < options.IdleTimeout && (idleFor < RecentlyUsed || idle.LooksAlive()))
            {
                idle.Reuse();
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
        connection.IdleSinceTimestamp = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (!_disposed && _idle.Count < options.MaxIdleConnectionsPerEndpoint)
            {
                _idle.Push(connection);
                return;
            }
        }

        connection.Dispose();
    }

    /// <summary>Closes idle connections that have outlived the idle timeout.</summary>
    public void Prune()
    {
        List<UpstreamConnection> kept = [];
        List<UpstreamConnection> expired = [];
        lock (_lock)
        {
            while (_idle.TryPop(out var connection))
            {
                (Stopwatch.GetElapsedTime(connection.IdleSinceTimestamp) < options.IdleTimeout ? kept : expired).Add(connection);
            }

            // Popped most recent first: pushed back oldest first, so the most recently used stays on top.
            for (var i = kept.Count - 1; i >= 0; i--)
            {
                _idle.Push(kept[i]);
            }
        }

        expired.ForEach(connection => connection.Dispose());
    }

    public void Dispose()
    {
        List<UpstreamConnection> idle;
        lock (_lock)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        idle.ForEach(connection => connection.Dispose());
    }

    private bool TryPop([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UpstreamConnection? connection)
    {
        lock (_lock)
        {
            return _idle.TryPop(out connection);
        }
    }
}
