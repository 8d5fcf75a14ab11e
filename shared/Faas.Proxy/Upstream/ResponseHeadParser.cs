using System.Globalization;
using System.Text;
using Faas.Proxy.Http1;

namespace Faas.Proxy.Upstream;

/// <summary>
/// Parses an HTTP/1.x response head (status line and header fields, without the final empty line). A field whose name
/// is not a token or whose value holds a control character fails the response: relayed, a bare CR or LF in either could
/// split it for a lenient client or proxy downstream, which a function must not be able to do to the callers it shares
/// a connection with.
/// </summary>
internal static class ResponseHeadParser
{
    public static ResponseHead Parse(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? head : head[..lineEnd];
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' ' ||
            !int.TryParse(statusLine.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100)
        {
            throw new UpstreamProtocolException($"malformed status line '{Encoding.Latin1.GetString(statusLine)}'");
        }

        var http10 = statusLine[7] == (byte)'0';
        var headers = new List<KeyValuePair<string, string>>(head.Count("\r\n"u8) + 1);
        long? contentLength = null;
        var chunked = false;
        var close = http10;
        List<string>? connectionTokens = null;

        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            if (line.IsEmpty)
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].ContainsAnyExcept(FieldSyntax.Token) || line[(colon + 1)..].ContainsAny(FieldSyntax.Control))
            {
                throw new UpstreamProtocolException($"malformed header line '{Encoding.Latin1.GetString(line).ReplaceLineEndings("\\n")}'");
            }

            var name = HeaderNames.Intern(line[..colon]);
            var value = Encoding.Latin1.GetString(line[(colon + 1)..].Trim(" \t"u8));
            headers.Add(new(name, value));

            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ||
                    (contentLength is not null && contentLength != length))
                {
                    throw new UpstreamProtocolException($"invalid Content-Length '{value}'");
                }

                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.TrimEnd().EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (token.Equals("close", StringComparison.OrdinalIgnoreCase))
                    {
                        close = true;
                    }
                    else if (token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase))
                    {
                        close = close && !http10;
                    }
                    else
                    {
                        (connectionTokens ??= []).Add(token);
                    }
                }
            }
        }

        return new ResponseHead(status, headers)
        {
            ContentLength = chunked ? null : contentLength,
            IsChunked = chunked,
            ClosesConnection = close,
            ConnectionTokens = (IReadOnlyList<string>?)connectionTokens ?? [],
        };
    }
}
