using System.Globalization;
using System.Text;
using Faas.Proxy.Http1;

namespace Faas.Proxy.Upstream;

/// <summary>
/// Parses an HTTP/1.x response head (status line and header fields, without the final empty line) into a connection's
/// <see cref="ResponseHead"/>, locating the fields without making strings of them. A field whose name is not a token
/// or whose value holds a control character fails the response: relayed, a bare CR or LF in either could split it for a
/// lenient client or proxy downstream, which a function must not be able to do to the callers it shares a connection with.
/// </summary>
internal static class ResponseHeadParser
{
    public static void Parse(ReadOnlySpan<byte> head, ResponseHead into)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? head : head[..lineEnd];
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' ' ||
            !int.TryParse(statusLine.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100)
        {
            throw new UpstreamProtocolException($"malformed status line '{Encoding.Latin1.GetString(statusLine)}'");
        }

        var http10 = statusLine[7] == (byte)'0';
        into.Reset(status, http10, head);
        long? contentLength = null;
        var chunked = false;
        var close = http10;

        var offset = lineEnd < 0 ? head.Length : lineEnd + 2;
        while (offset < head.Length)
        {
            var rest = head[offset..];
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            var lineStart = offset;
            offset += end < 0 ? rest.Length : end + 2;
            if (line.IsEmpty)
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].ContainsAnyExcept(FieldSyntax.Token) || line[(colon + 1)..].ContainsAny(FieldSyntax.Control))
            {
                throw new UpstreamProtocolException($"malformed header line '{Encoding.Latin1.GetString(line).ReplaceLineEndings("\\n")}'");
            }

            var name = line[..colon];
            var rawValue = line[(colon + 1)..];
            var value = rawValue.TrimStart(" \t"u8);
            var valueStart = lineStart + colon + 1 + (rawValue.Length - value.Length);
            value = value.TrimEnd(" \t"u8);
            into.AddField(lineStart, colon, valueStart, value.Length);

            switch (name.Length)
            {
                case 14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8):
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ||
                        (contentLength is not null && contentLength != length))
                    {
                        throw new UpstreamProtocolException($"invalid Content-Length '{Encoding.Latin1.GetString(value)}'");
                    }

                    contentLength = length;
                    break;
                case 17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8):
                    chunked = value.Length >= 7 && Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8);
                    break;
                case 10 when Ascii.EqualsIgnoreCase(name, "Connection"u8):
                    close = ReadConnectionTokens(value, close, http10, into);
                    break;
            }
        }

        into.SetChunked(chunked);
        into.SetClosesConnection(close);
        if (!chunked && contentLength is long declared)
        {
            into.SetContentLength(declared);
        }
    }

    /// <summary>Applies close and keep-alive; every other token names a field that is hop-by-hop for this message.</summary>
    private static bool ReadConnectionTokens(ReadOnlySpan<byte> value, bool close, bool http10, ResponseHead into)
    {
        foreach (var range in value.Split((byte)','))
        {
            var token = value[range].Trim(" \t"u8);
            if (token.IsEmpty)
            {
                continue;
            }

            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                close = true;
            }
            else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                close = close && !http10;
            }
            else
            {
                into.AddConnectionToken(Encoding.Latin1.GetString(token));
            }
        }

        return close;
    }
}
