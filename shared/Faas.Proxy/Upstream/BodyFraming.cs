namespace Faas.Proxy.Upstream;

/// <summary>How the end of a response body is found (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    /// <summary>No body: HEAD, 1xx, 204, 304.</summary>
    None,

    ContentLength,

    Chunked,

    /// <summary>No length given: the body ends when the upstream closes the connection.</summary>
    UntilClose,
}
