using Microsoft.AspNetCore.Http;

namespace Faas.Proxy;

/// <summary>Per-call choices of the forwarder's caller.</summary>
public sealed class ForwardOptions
{
    public static readonly ForwardOptions Default = new();

    /// <summary>Read the whole request body first and send it with a Content-Length (for upstreams that cannot take chunked bodies).</summary>
    public bool BufferRequestBody { get; init; }

    /// <summary>Adds or changes headers on the upstream request after the client's headers were copied.</summary>
    public Action<HttpContext, HttpRequestMessage>? TransformRequest { get; init; }

    /// <summary>Adds or changes headers on the client's response before the first byte is sent.</summary>
    public Action<HttpContext, HttpResponseMessage>? TransformResponse { get; init; }
}
