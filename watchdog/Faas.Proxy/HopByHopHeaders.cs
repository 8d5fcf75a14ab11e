namespace Faas.Proxy;

/// <summary>Headers that describe one connection, not the message, and so are never forwarded (RFC 9110 §7.6.1).</summary>
public static class HopByHopHeaders
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    public static bool Contains(string name) => Names.Contains(name);
}
