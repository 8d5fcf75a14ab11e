using Faas.Proxy.Upstream;

namespace Faas.Proxy.Http1;

/// <summary>
/// Writes an upstream's response head for the client: its status line, its end-to-end headers as received, the
/// caller's headers, a <c>Date</c> if the upstream sent none, and the framing the relay uses (its own Content-Length,
/// or chunked when the upstream's body has no declared length).
/// </summary>
internal static class ResponseHeadWriter
{
    /// <remarks>The fields were checked when the head was parsed (see <see cref="ResponseHeadParser"/>): none can split the response.</remarks>
    public static void Write(HeadBuffer head, ResponseHead response, bool chunked, IResponseHeaderSource extraHeaders)
    {
        head.Clear();
        head.Append(StatusLines.For(response.StatusCode));
        var hasDate = false;
        foreach (var (name, value) in response.Headers)
        {
            if (IsFraming(name) || response.IsHopByHop(name) || extraHeaders.Replaces(name))
            {
                continue;
            }

            hasDate |= name.Equals("Date", StringComparison.OrdinalIgnoreCase);
            head.AppendLatin1(name);
            head.Append(": "u8);
            head.AppendLatin1(value);
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

    private static bool IsFraming(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);
}
