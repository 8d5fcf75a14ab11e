using Faas.Proxy.Http1;

namespace Faas.Watchdog.FastPath;

/// <summary>Where a request at the head of a connection's input goes.</summary>
internal enum RequestRoute
{
    /// <summary>Not one the fast path takes (or not all here yet): Kestrel serves the rest of the connection.</summary>
    Kestrel,

    /// <summary>Head complete, body still arriving and small enough to wait for.</summary>
    Incomplete,

    Invocation,
    Health,
    Ready,
}

/// <summary>One request the fast path serves, parsed from the client's bytes. One per connection, refilled for each request.</summary>
internal sealed class FastPathRequest
{
    /// <summary>The request encoded for the upstream: request line with the upstream's base path, its Host, the forwarded headers, the body.</summary>
    public HeadBuffer Upstream { get; } = new();

    /// <summary>Bytes of the client's input the request takes up, head and body.</summary>
    public int Length { get; set; }

    /// <summary>One of <see cref="Microsoft.AspNetCore.Http.HttpMethods"/>' shared strings.</summary>
    public string Method { get; set; } = "";

    /// <summary>The X-Timeout value when the request sent one (a request with several is left to Kestrel).</summary>
    public string? Timeout { get; set; }

    /// <summary>The request-target as sent, kept only for request logging.</summary>
    public string? Target { get; set; }
}
