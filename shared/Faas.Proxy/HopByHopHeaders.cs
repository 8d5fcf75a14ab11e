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

    /// <summary>The same test on a field name as it arrived (ASCII bytes), without making a string of it.</summary>
    public static bool Contains(ReadOnlySpan<byte> name)
    {
        foreach (var known in Names)
        {
            if (known.Length == name.Length && System.Text.Ascii.EqualsIgnoreCase(name, known))
            {
                return true;
            }
        }

        return false;
    }
}
