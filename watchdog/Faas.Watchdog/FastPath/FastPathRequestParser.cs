using System.Buffers;
using System.Globalization;
using System.Text;
using Faas.Proxy;
using Faas.Proxy.Http1;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.FastPath;

/// <summary>
/// Recognises the requests the fast path serves and encodes them for the upstream in the same pass. It takes only
/// plain HTTP/1.1 requests whose head and whole body are at hand: origin-form target with no percent-encoding or dot
/// segments, one valid Host, at most one Content-Length, printable ASCII headers, and none of Transfer-Encoding, Expect,
/// Upgrade or a Connection other than keep-alive; methods GET, POST, PUT, DELETE, PATCH, OPTIONS. Anything else,
/// malformed input included, goes to Kestrel, which answers it exactly as it always has.
/// </summary>
internal sealed class FastPathRequestParser(string upstreamHost, int upstreamPort, string upstreamBasePath, bool keepTarget)
{
    /// <summary>Kestrel's default limit on request headers; larger heads go to Kestrel, which enforces it.</summary>
    private const int MaxHeadSize = 32 * 1024;

    /// <summary>Largest request (head and body) held whole in memory; larger bodies are streamed by Kestrel's path.</summary>
    public const int MaxRequestSize = 64 * 1024;

    private static readonly SearchValues<byte> HostBytes = SearchValues.Create("-.:[]_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);
    private static readonly SearchValues<byte> FieldValueBytes = SearchValues.Create(Enumerable.Range(0x20, 0x7f - 0x20).Select(b => (byte)b).Append((byte)'\t').ToArray());

    private readonly byte[] _upstreamHostLine = Encoding.ASCII.GetBytes($"Host: {upstreamHost}:{upstreamPort.ToString(CultureInfo.InvariantCulture)}\r\n");
    private readonly byte[] _upstreamBasePath = Encoding.ASCII.GetBytes(upstreamBasePath);

    public RequestRoute Parse(ReadOnlySpan<byte> input, FastPathRequest request)
    {
        var headEnd = input[..Math.Min(input.Length, MaxHeadSize)].IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return RequestRoute.Kestrel;
        }

        var head = input[..(headEnd + 2)];
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = head[..lineEnd];
        var firstSpace = requestLine.IndexOf((byte)' ');
        var method = firstSpace > 0 ? KnownMethod(requestLine[..firstSpace]) : null;
        var afterMethod = requestLine[(firstSpace + 1)..];
        var secondSpace = afterMethod.IndexOf((byte)' ');
        if (method is null || secondSpace <= 0 || !afterMethod[(secondSpace + 1)..].SequenceEqual("HTTP/1.1"u8))
        {
            return RequestRoute.Kestrel;
        }

        var target = afterMethod[..secondSpace];
        var route = RouteOf(target);
        if (route == RequestRoute.Kestrel)
        {
            return RequestRoute.Kestrel;
        }

        var upstream = request.Upstream;
        upstream.Clear();
        upstream.Append(requestLine[..(firstSpace + 1)]);
        upstream.Append(_upstreamBasePath);
        upstream.Append(target);
        upstream.Append(" HTTP/1.1\r\n"u8);
        upstream.Append(_upstreamHostLine);

        var hosts = 0;
        var timeouts = 0;
        long contentLength = -1;
        string? timeout = null;
        var fields = head[(lineEnd + 2)..];
        while (!fields.IsEmpty)
        {
            var end = fields.IndexOf("\r\n"u8);
            var line = fields[..end];
            fields = fields[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].ContainsAnyExcept(FieldSyntax.Token))
            {
                return RequestRoute.Kestrel;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.ContainsAnyExcept(FieldValueBytes))
            {
                return RequestRoute.Kestrel;
            }

            switch (Classify(name, value))
            {
                case Field.Forwarded:
                    upstream.Append(line);
                    upstream.Append("\r\n"u8);
                    break;
                case Field.Host:
                    hosts++;
                    if (value.ContainsAnyExcept(HostBytes))
                    {
                        return RequestRoute.Kestrel;
                    }

                    break;
                case Field.ContentLength:
                    if (contentLength >= 0 || value.IsEmpty || value.Length > 15 || value.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
                    {
                        return RequestRoute.Kestrel;
                    }

                    contentLength = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                case Field.Timeout:
                    timeouts++;
                    timeout = Encoding.ASCII.GetString(value);
                    upstream.Append(line);
                    upstream.Append("\r\n"u8);
                    break;
                case Field.Unsupported:
                    return RequestRoute.Kestrel;
            }
        }

        var bodyLength = Math.Max(contentLength, 0);
        var length = headEnd + 4 + bodyLength;
        if (hosts != 1 || timeouts > 1 || length > MaxRequestSize)
        {
            return RequestRoute.Kestrel;
        }

        if (input.Length < length)
        {
            return RequestRoute.Incomplete;
        }

        if (bodyLength > 0)
        {
            upstream.Append("Content-Length: "u8);
            upstream.AppendDecimal(bodyLength);
            upstream.Append("\r\n"u8);
        }

        upstream.Append("\r\n"u8);
        upstream.Append(input.Slice(headEnd + 4, (int)bodyLength));
        request.Length = (int)length;
        request.Method = method;
        request.Timeout = timeouts == 1 ? timeout : null;
        request.Target = keepTarget ? Encoding.ASCII.GetString(target) : null;
        return route;
    }

    private enum Field
    {
        Forwarded,
        Dropped,
        Host,
        ContentLength,
        Timeout,
        Unsupported,
    }

    private static Field Classify(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Ascii.EqualsIgnoreCase(name, "Host"u8))
        {
            return Field.Host;
        }

        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            return Field.ContentLength;
        }

        if (Ascii.EqualsIgnoreCase(name, "X-Timeout"u8))
        {
            return Field.Timeout;
        }

        if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            return Ascii.EqualsIgnoreCase(value, "keep-alive"u8) ? Field.Dropped : Field.Unsupported;
        }

        if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) || Ascii.EqualsIgnoreCase(name, "Expect"u8) || Ascii.EqualsIgnoreCase(name, "Upgrade"u8))
        {
            return Field.Unsupported;
        }

        // The remaining hop-by-hop fields describe the client's connection, not the request (as HttpForwarder drops them).
        return HopByHopHeaders.Contains(name) ? Field.Dropped : Field.Forwarded;
    }

    /// <summary>Kestrel decodes and normalises the path before the watchdog routes it, so any path it might change goes to Kestrel.</summary>
    private static RequestRoute RouteOf(ReadOnlySpan<byte> target)
    {
        if (target.IsEmpty || target[0] != (byte)'/' || target.ContainsAnyExceptInRange((byte)0x21, (byte)0x7e) || target.Contains((byte)'#'))
        {
            return RequestRoute.Kestrel;
        }

        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        if (path.Contains((byte)'%') || path.IndexOf("/."u8) >= 0)
        {
            return RequestRoute.Kestrel;
        }

        return path.SequenceEqual("/_/health"u8) ? RequestRoute.Health
            : path.SequenceEqual("/_/ready"u8) ? RequestRoute.Ready
            : RequestRoute.Invocation;
    }

    private static string? KnownMethod(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => HttpMethods.Get,
        _ when method.SequenceEqual("POST"u8) => HttpMethods.Post,
        _ when method.SequenceEqual("PUT"u8) => HttpMethods.Put,
        _ when method.SequenceEqual("DELETE"u8) => HttpMethods.Delete,
        _ when method.SequenceEqual("PATCH"u8) => HttpMethods.Patch,
        _ when method.SequenceEqual("OPTIONS"u8) => HttpMethods.Options,
        _ => null,
    };
}
