namespace Faas.Proxy;

/// <summary>How a forwarded request ended, so the caller can answer with a precise status code.</summary>
public enum ForwardResult
{
    /// <summary>The upstream's response was relayed whole.</summary>
    Success,

    /// <summary>No connection to the upstream could be made; no request byte was sent, so another replica may be tried.</summary>
    ConnectFailed,

    /// <summary>The upstream failed after the request started (reset, malformed response).</summary>
    UpstreamFailed,

    /// <summary>The deadline passed before the upstream's response headers arrived.</summary>
    Timeout,

    /// <summary>The request body passed the server's size limit while it was being relayed; the upstream connection was dropped.</summary>
    RequestTooLarge,

    /// <summary>The client went away or the response broke after it had started; the connection was aborted.</summary>
    Aborted,
}
