using System.Text;
using Faas.Proxy.Upstream;

namespace Faas.Proxy.Http1;

/// <summary>
/// Writes an upstream's response head for the client: its status line, its end-to-end header fields as received (the
/// bytes, not strings made of them), the caller's headers, a <c>Date</c> if the upstream sent none, and the framing the
/// relay uses (its own Content-Length, or chunked when the upstream's body has no declared length).
/// </summary>
internal static class ResponseHeadWriter
{
    /// <remarks>The fields were checked when the head was parsed (see <see cref="ResponseHeadParser"/>): none can split the response.</remarks>
    public static void Write(HeadBuffer head, ResponseHead response, bool chunked, IResponseHeaderSource extraHeaders)
    {
        head.Clear();
        head.Append(StatusLines.For(response.StatusCode));
        var hasDate = false;
        for (var i = 0; i < response.FieldCount; i++)
        {
            var name = response.Name(i);
            if (IsFraming(name) || response.IsHopByHop(name) || extraHeaders.Drops(name, response.Value(i)))
            {
                continue;
            }

            hasDate |= name.Length == 4 && Ascii.EqualsIgnoreCase(name, "Date"u8);
            head.Append(name);
            head.Append(": "u8);
            head.Append(response.Value(i));
            head.Append("\r\n"u8);
        }

        if (!hasDate)
        {
            head.Append(DateHeader.Line);
        }

        extraHeaders.WriteHeaders(head);
        if (chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (response.ContentLength is long length)
        {
            head.Header("Content-Length"u8, length);
        }

        head.Append("\r\n"u8);
    }

    private static bool IsFraming(ReadOnlySpan<byte> name) =>
        Ascii.EqualsIgnoreCase(name, "Content-Length"u8) || Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8);
}
