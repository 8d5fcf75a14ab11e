using Faas.Proxy.Http1;

namespace Faas.Gateway.Invoke.FastPath;

/// <summary>One invocation the fast path serves, parsed from the client's bytes. One per connection, refilled for each request.</summary>
internal sealed class InvokeRequest
{
    /// <summary>The request line for the replica: the method, the target after <c>/function/NAME</c>, HTTP/1.1.</summary>
    public HeadBuffer RequestLine { get; } = new(256);

    /// <summary>The client's end-to-end fields to pass on, then the gateway's X-Forwarded-* and traceparent lines.</summary>
    public HeadBuffer Fields { get; } = new();

    public HeadBuffer Body { get; } = new(0);

    /// <summary>The whole request for the replica, assembled for each attempt (its Host names the replica).</summary>
    public HeadBuffer Upstream { get; } = new();

    /// <summary>Bytes of the client's input the request takes up, head and body.</summary>
    public int Length { get; set; }

    /// <summary>One of <see cref="HttpMethods"/>' shared strings.</summary>
    public string Method { get; set; } = "";

    /// <summary>The caller's <c>X-Call-Id</c>, checked; null when it sent none.</summary>
    public string? CallId { get; set; }

    /// <summary>The caller's <c>X-Timeout</c>, checked; null when it sent none.</summary>
    public string? Timeout { get; set; }

    /// <summary>After the request: buffers a large one grew are let go, so an idle connection holds little.</summary>
    public void Release()
    {
        Body.Release();
        Upstream.Release();
        Fields.Release();
    }
}
