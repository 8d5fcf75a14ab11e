using System.Buffers;
using System.Globalization;
using System.Text;
using Faas.Proxy.Http1;
using Microsoft.AspNetCore.Http;

namespace Faas.Proxy.FastPath;

/// <summary>
/// Reads the head of a buffered request the way every fast path takes them, and only those: plain HTTP/1.1 with the
/// whole head at hand, an origin-form target with no percent-encoding, dot segments or fragment (Kestrel would decode or
/// normalise it), one valid Host, at most one Content-Length, printable ASCII fields, and none of Transfer-Encoding,
/// Expect, Upgrade or a Connection other than keep-alive; methods GET, POST, PUT, DELETE, PATCH, OPTIONS. Anything
/// else, malformed input included, is left to Kestrel, which answers it exactly as it always has.
/// </summary>
public ref struct RequestHeadReader
{
    /// <summary>Kestrel's default limit on request headers; larger heads go to Kestrel, which enforces it.</summary>
    public const int MaxHeadSize = 32 * 1024;

    private static readonly SearchValues<byte> HostBytes = SearchValues.Create("-.:[]_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);
    private static readonly SearchValues<byte> FieldValueBytes = SearchValues.Create(Enumerable.Range(0x20, 0x7f - 0x20).Select(b => (byte)b).Append((byte)'\t').ToArray());

    private ReadOnlySpan<byte> _fields;
    private int _hosts;

    /// <summary>One of <see cref="HttpMethods"/>' shared strings.</summary>
    public string Method { get; private set; }

    /// <summary>The request line up to and including the space after the method.</summary>
    public ReadOnlySpan<byte> MethodAndSpace { get; private set; }

    public ReadOnlySpan<byte> Target { get; private set; }

    /// <summary>The target's path, without the query.</summary>
    public ReadOnlySpan<byte> Path { get; private set; }

    /// <summary>The Host field's value, once <see cref="Next"/> has passed it.</summary>
    public ReadOnlySpan<byte> Host { get; private set; }

    /// <summary>Bytes of the head, the blank line included.</summary>
    public int HeadLength { get; private set; }

    /// <summary>The declared body length, 0 without one (once <see cref="Next"/> has returned false).</summary>
    public long BodyLength { get; private set; }

    /// <summary>True when <see cref="Next"/> stopped at a field or value a fast path does not take.</summary>
    public bool Unsupported { get; private set; }

    /// <summary>False unless <paramref name="input"/> starts with a whole head of a request of the kind described above (its fields are checked by <see cref="Next"/>).</summary>
    public static bool TryStart(ReadOnlySpan<byte> input, out RequestHeadReader reader)
    {
        reader = default;
        var headEnd = input[..Math.Min(input.Length, MaxHeadSize)].IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return false;
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
            return false;
        }

        var target = afterMethod[..secondSpace];
        if (target[0] != (byte)'/' || target.ContainsAnyExceptInRange((byte)0x21, (byte)0x7e) || target.Contains((byte)'#'))
        {
            return false;
        }

        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        if (path.Contains((byte)'%') || path.IndexOf("/."u8) >= 0)
        {
            return false;
        }

        reader = new RequestHeadReader
        {
            Method = method,
            MethodAndSpace = requestLine[..(firstSpace + 1)],
            Target = target,
            Path = path,
            HeadLength = headEnd + 4,
            BodyLength = -1,
            _fields = head[(lineEnd + 2)..],
        };
        return true;
    }

    /// <summary>
    /// The next end-to-end field for the caller to forward or act on. Host, Content-Length, Connection: keep-alive and the
    /// other hop-by-hop fields are taken here and not returned. False at the end of the head, or when a field is one a
    /// fast path does not take (<see cref="Unsupported"/>); the end also checks there was one Host.
    /// </summary>
    /// <param name="line">The whole field line, without its CRLF.</param>
    public bool Next(out ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        while (!_fields.IsEmpty)
        {
            var end = _fields.IndexOf("\r\n"u8);
            var fieldLine = _fields[..end];
            _fields = _fields[(end + 2)..];
            var colon = fieldLine.IndexOf((byte)':');
            if (colon <= 0 || fieldLine[..colon].ContainsAnyExcept(FieldSyntax.Token))
            {
                return Refuse(out line, out name, out value);
            }

            var fieldName = fieldLine[..colon];
            var fieldValue = fieldLine[(colon + 1)..].Trim(" \t"u8);
            if (fieldValue.ContainsAnyExcept(FieldValueBytes))
            {
                return Refuse(out line, out name, out value);
            }

            if (Ascii.EqualsIgnoreCase(fieldName, "Host"u8))
            {
                _hosts++;
                Host = fieldValue;
                if (fieldValue.ContainsAnyExcept(HostBytes))
                {
                    return Refuse(out line, out name, out value);
                }
            }
            else if (Ascii.EqualsIgnoreCase(fieldName, "Content-Length"u8))
            {
                if (BodyLength >= 0 || fieldValue.IsEmpty || fieldValue.Length > 15 || fieldValue.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
                {
                    return Refuse(out line, out name, out value);
                }

                BodyLength = long.Parse(fieldValue, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (Ascii.EqualsIgnoreCase(fieldName, "Connection"u8))
            {
                if (!Ascii.EqualsIgnoreCase(fieldValue, "keep-alive"u8))
                {
                    return Refuse(out line, out name, out value);
                }
            }
            else if (Ascii.EqualsIgnoreCase(fieldName, "Transfer-Encoding"u8) || Ascii.EqualsIgnoreCase(fieldName, "Expect"u8) || Ascii.EqualsIgnoreCase(fieldName, "Upgrade"u8))
            {
                return Refuse(out line, out name, out value);
            }
            else if (!HopByHopHeaders.Contains(fieldName))
            {
                // The remaining hop-by-hop fields describe the client's connection, not the request (as HttpForwarder drops them).
                line = fieldLine;
                name = fieldName;
                value = fieldValue;
                return true;
            }
        }

        line = name = value = default;
        BodyLength = Math.Max(BodyLength, 0);
        Unsupported = _hosts != 1;
        return false;
    }

    /// <summary>The body's bytes, once the fields are read and the whole request is at hand.</summary>
    public readonly ReadOnlySpan<byte> Body(ReadOnlySpan<byte> input) => input.Slice(HeadLength, (int)BodyLength);

    private bool Refuse(out ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        line = name = value = default;
        Unsupported = true;
        return false;
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
