using System.Collections.Concurrent;

namespace Faas.Proxy.Upstream;

/// <summary>
/// HTTP/1.1 connections to upstreams (function replicas), pooled per endpoint. One instance serves a whole
/// process; nothing is allocated per request but the request itself. Replaces HttpClient on the
/// forwarding path, where HttpClient's per-request cost was as large as the upstream's own.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly ConcurrentDictionary<(string Host, int Port), ConnectionPool> _pools = new();
    private readonly UpstreamClientOptions _options;
    private readonly Timer _pruner;

    public UpstreamClient(UpstreamClientOptions? options = null)
    {
        _options = options ?? new UpstreamClientOptions();
        _pruner = new Timer(_ => Prune(), null, _options.IdleTimeout, _options.IdleTimeout);
    }

    public UpstreamClientOptions Options => _options;

    internal ConnectionPool PoolFor(string host, int port) =>
        _pools.GetOrAdd((host, port), static (key, options) => new ConnectionPool(key.Host, key.Port, options), _options);

    /// <summary>Closes the idle connections to an endpoint that is gone (a replica that stopped).</summary>
    public void Forget(string host, int port)
    {
        if (_pools.TryRemove((host, port), out var pool))
        {
            pool.Dispose();
        }
    }

    /// <summary>GET <paramref name="path"/> and return the status code, discarding the body (readiness probes).</summary>
    public async Task<int> GetStatusAsync(string host, int port, string path, CancellationToken cancellationToken)
    {
        var pool = PoolFor(host, port);
        var connection = await pool.RentAsync(fresh: false, cancellationToken).ConfigureAwait(false);
        var reusable = false;
        try
        {
            ResponseHead response;
            using (cancellationToken.Register(static c => ((UpstreamConnection)c!).Abort(), connection))
            {
                var head = System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: faas-watchdog\r\n\r\n");
                await connection.SendAsync(head, cancellationToken).ConfigureAwait(false);
                response = await connection.ReadHeadAsync(requestWasHead: false, cancellationToken).ConfigureAwait(false);
                var discard = new byte[4096];
                while (await connection.ReadBodyAsync(discard, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }

            // Only with the abort unregistered, as the forwarders do.
            reusable = connection.CanBeReused;
            return response.StatusCode;
        }
        finally
        {
            if (reusable)
            {
                pool.Return(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _pruner.Dispose();
        foreach (var pool in _pools.Values)
        {
            pool.Dispose();
        }

        _pools.Clear();
    }

    private void Prune()
    {
        foreach (var pool in _pools.Values)
        {
            pool.Prune();
        }
    }
}
