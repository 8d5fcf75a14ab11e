namespace Faas.Harness;

/// <summary>
/// A read-only stream with no known length, so HttpClient sends it chunked; its bytes are generated, so even a
/// large body is never held in memory.
/// </summary>
public sealed class UnknownLengthStream : Stream
{
    private readonly long _length;
    private readonly Func<long, byte> _byteAt;
    private long _position;

    private UnknownLengthStream(long length, Func<long, byte> byteAt)
    {
        _length = length;
        _byteAt = byteAt;
    }

    /// <summary><paramref name="length"/> bytes of a repeating pattern.</summary>
    public static UnknownLengthStream Pattern(long length) => new(length, position => (byte)(position % 251));

    public static UnknownLengthStream Of(byte[] data) => new(data.Length, position => data[position]);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, _length - _position);
        for (var i = 0; i < n; i++)
        {
            buffer[offset + i] = _byteAt(_position + i);
        }

        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
