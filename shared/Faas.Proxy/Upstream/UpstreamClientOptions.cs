namespace Faas.Proxy.Upstream;

/// <summary>Connection settings of an <see cref="UpstreamClient"/>.</summary>
public sealed record UpstreamClientOptions
{
    /// <summary>How long establishing a TCP connection may take before the upstream counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Idle keep-alive connections older than this are closed (upstreams close theirs too; Node's default is 5 s).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(4);

    public int MaxIdleConnectionsPerEndpoint { get; init; } = 256;
}
