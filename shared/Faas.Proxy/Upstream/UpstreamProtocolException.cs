namespace Faas.Proxy.Upstream;

/// <summary>The upstream broke HTTP/1.1 (malformed or oversized head, bad chunk framing, truncated body).</summary>
internal sealed class UpstreamProtocolException(string message) : IOException(message);
