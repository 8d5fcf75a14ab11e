using System.Text;

namespace Faas.Nats.Protocol;

/// <summary>
/// Reads the server's protocol from a stream: control lines ending in CRLF, and payloads of a known size followed
/// by CRLF. One buffer, grown only for a payload larger than it, so frames split across reads (or several per read)
/// come out whole.
/// </summary>
public sealed class FrameReader(Stream stream)
{
    private const int MaxControlLine = 64 * 1024;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next control line without its CRLF; null at the end of the stream.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = scanned + newline;
                var line = Encoding.UTF8.GetString(_buffer, _start, length > 0 && _buffer[_start + length - 1] == '\r' ? length - 1 : length);
                _start += length + 1;
                return line;
            }

            scanned = _end - _start;
            if (scanned > MaxControlLine)
            {
                throw new NatsException($"protocol error: a control line longer than {MaxControlLine} bytes");
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    /// <summary>A payload of <paramref name="size"/> bytes and the CRLF after it; a copy the caller owns.</summary>
    public async ValueTask<byte[]> ReadPayloadAsync(int size, CancellationToken cancellationToken)
    {
        while (_end - _start < size + 2)
        {
            if (!await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException("the connection closed in the middle of a message");
            }
        }

        var payload = _buffer.AsSpan(_start, size).ToArray();
        if (_buffer[_start + size] != '\r' || _buffer[_start + size + 1] != '\n')
        {
            throw new NatsException("protocol error: a payload not followed by CRLF");
        }

        _start += size + 2;
        return payload;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }
}
