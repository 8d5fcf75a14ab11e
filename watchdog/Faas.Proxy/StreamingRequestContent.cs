using System.Buffers;
using System.Net;

namespace Faas.Proxy;

/// <summary>
/// The client's request body as upstream content, copied chunk by chunk and flushed as it arrives, so an
/// upload of any size passes without being buffered. Records whether any byte was read, because a request
/// whose body was consumed must not be retried.
/// </summary>
internal sealed class StreamingRequestContent(Stream body, long? contentLength) : HttpContent
{
    public bool Started { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Started = true;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = contentLength ?? 0;
        return contentLength.HasValue;
    }
}
