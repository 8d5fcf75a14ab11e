using System.Buffers.Binary;

namespace Faas.Provider.Docker.Engine;

/// <summary>
/// Reads the Engine's multiplexed stdout/stderr stream (containers without a TTY): frames of an 8-byte header
/// (stream type, three zero bytes, big-endian payload size) followed by the payload.
/// </summary>
public static class MultiplexedStream
{
    public static async IAsyncEnumerable<LogFrame> ReadAsync(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var header = new byte[8];
        while (await ReadExactlyOrEndAsync(stream, header, cancellationToken))
        {
            var type = header[0];
            if (type > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
            {
                throw new InvalidDataException($"not a multiplexed log stream (header {Convert.ToHexString(header)})");
            }

            var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4))];
            if (!await ReadExactlyOrEndAsync(stream, payload, cancellationToken))
            {
                throw new EndOfStreamException("the log stream ended inside a frame");
            }

            yield return new LogFrame((LogStream)type, payload);
        }
    }

    /// <summary>Fills the buffer; false if the stream ended before its first byte.</summary>
    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return filled == 0 ? false : throw new EndOfStreamException("the log stream ended inside a frame");
            }

            filled += read;
        }

        return true;
    }
}
