namespace Faas.Proxy.Upstream;

/// <summary>An upstream response's status line and headers, in the order received.</summary>
internal sealed class ResponseHead(int statusCode, List<KeyValuePair<string, string>> headers)
{
    public int StatusCode { get; } = statusCode;

    public List<KeyValuePair<string, string>> Headers { get; } = headers;

    public long? ContentLength { get; init; }

    public bool IsChunked { get; init; }

    /// <summary>The upstream will close the connection after this response (Connection: close, or HTTP/1.0 without keep-alive).</summary>
    public bool ClosesConnection { get; init; }

    /// <summary>Header names listed in the Connection header: hop-by-hop for this message only.</summary>
    public IReadOnlyList<string> ConnectionTokens { get; init; } = [];

    /// <summary>Whether a header describes this connection only: a standard hop-by-hop field or one the Connection header names.</summary>
    public bool IsHopByHop(string name)
    {
        if (HopByHopHeaders.Contains(name))
        {
            return true;
        }

        foreach (var token in ConnectionTokens)
        {
            if (token.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
