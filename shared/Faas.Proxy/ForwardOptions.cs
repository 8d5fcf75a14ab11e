using Microsoft.AspNetCore.Http;

namespace Faas.Proxy;

/// <summary>Per-call choices of the forwarder's caller.</summary>
public sealed class ForwardOptions
{
    public static readonly ForwardOptions Default = new();

    /// <summary>Read the whole request body first and send it with a Content-Length (for upstreams that cannot take chunked bodies).</summary>
    public bool BufferRequestBody { get; init; }

    /// <summary>Headers to add to the upstream request; each replaces a client header of the same name.</summary>
    public Func<HttpContext, IReadOnlyList<KeyValuePair<string, string>>>? AddRequestHeaders { get; init; }

    /// <summary>Called after the upstream's status and headers were copied, before the first byte goes to the client.</summary>
    public Action<HttpContext>? OnResponseStarting { get; init; }
}
