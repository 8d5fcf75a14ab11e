using System.Buffers;
using System.Globalization;
using System.Text;
using Faas.Proxy.Upstream;
using Microsoft.AspNetCore.Http;

namespace Faas.Proxy;

/// <summary>How the request body travels upstream.</summary>
internal enum RequestBody
{
    None,
    ContentLength,
    Chunked,
}

/// <summary>Writes the client's request to an upstream connection: the head, then the body streamed as it arrives.</summary>
internal static class RequestSender
{
    private const int ChunkSize = 64 * 1024;

    public static void WriteHead(RequestHeadWriter head, HttpContext context, UpstreamTarget target, RequestBody body, long? length,
        IReadOnlyList<KeyValuePair<string, string>> added, bool isUpgrade)
    {
        var request = context.Request;
        head.RequestLine(request.Method, target.PathAndQuery);
        head.HostHeader(target.Host, target.Port);
        foreach (var (name, values) in request.Headers)
        {
            if (!ShouldForward(name, isUpgrade) || IsAdded(added, name))
            {
                continue;
            }

            foreach (var value in values)
            {
                head.Header(name, value ?? string.Empty);
            }
        }

        foreach (var (name, value) in added)
        {
            head.Header(name, value);
        }

        if (isUpgrade)
        {
            head.Header("Connection", "Upgrade");
        }
        else if (body == RequestBody.ContentLength)
        {
            head.Header("Content-Length", length!.Value.ToString(CultureInfo.InvariantCulture));
        }
        else if (body == RequestBody.Chunked)
        {
            head.Header("Transfer-Encoding", "chunked");
        }

        head.End();
    }

    /// <summary>Copies the body; <paramref name="onFirstRead"/> marks the point after which the request cannot be retried.</summary>
    public static async Task SendBodyAsync(UpstreamConnection connection, Stream body, RequestBody framing, Action onFirstRead, CancellationToken cancellationToken)
    {
        const int headerRoom = 10;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize + headerRoom + 2);
        try
        {
            onFirstRead();
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(headerRoom, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (framing == RequestBody.Chunked)
                {
                    // One send per chunk: size line, data and CRLF laid out together in the buffer.
                    var sizeLine = Encoding.ASCII.GetBytes(read.ToString("X", CultureInfo.InvariantCulture) + "\r\n");
                    var start = headerRoom - sizeLine.Length;
                    sizeLine.CopyTo(buffer, start);
                    buffer[headerRoom + read] = (byte)'\r';
                    buffer[headerRoom + read + 1] = (byte)'\n';
                    await connection.SendAsync(buffer.AsMemory(start, sizeLine.Length + read + 2), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await connection.SendAsync(buffer.AsMemory(headerRoom, read), cancellationToken).ConfigureAwait(false);
                }
            }

            if (framing == RequestBody.Chunked)
            {
                await connection.SendAsync("0\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool ShouldForward(string name, bool isUpgrade)
    {
        if (name.StartsWith(':') ||
            name.Equals("Host", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("Expect", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !HopByHopHeaders.Contains(name) || (isUpgrade && name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsAdded(IReadOnlyList<KeyValuePair<string, string>> added, string name)
    {
        for (var i = 0; i < added.Count; i++)
        {
            if (added[i].Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
