using System.Globalization;
using System.Text;

namespace Faas.Proxy.Http1;

/// <summary>
/// A reusable buffer an HTTP/1.1 head is assembled in (ASCII and Latin-1 bytes), so it goes out in one write.
/// One per connection: nothing is allocated per request once it has grown to the largest head seen.
/// </summary>
public sealed class HeadBuffer(int capacity = HeadBuffer.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    /// <summary>The most a buffer keeps between requests (see <see cref="Release"/>).</summary>
    public const int RetainedCapacity = 16 * 1024;

    private byte[] _bytes = new byte[capacity];
    private int _length;

    public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, _length);

    public ReadOnlySpan<byte> WrittenSpan => _bytes.AsSpan(0, _length);

    public void Clear() => _length = 0;

    /// <summary>
    /// Empties the buffer, and lets go of its memory if a large request grew it past <see cref="RetainedCapacity"/>, so
    /// an idle connection holds little. Below that the buffer is kept: a request of ordinary size allocates nothing.
    /// </summary>
    public void Release()
    {
        _length = 0;
        if (_bytes.Length > RetainedCapacity)
        {
            _bytes = new byte[DefaultCapacity];
        }
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Characters above U+00FF become '?': header text from strings was Latin-1 bytes to begin with.</summary>
    public void AppendLatin1(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        _length += Encoding.Latin1.GetBytes(text, _bytes.AsSpan(_length));
    }

    public void AppendDecimal(long value)
    {
        Ensure(20);
        value.TryFormat(_bytes.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    public void Header(ReadOnlySpan<byte> name, ReadOnlySpan<char> value)
    {
        Append(name);
        Append(": "u8);
        AppendLatin1(value);
        Append("\r\n"u8);
    }

    public void Header(ReadOnlySpan<byte> name, long value)
    {
        Append(name);
        Append(": "u8);
        AppendDecimal(value);
        Append("\r\n"u8);
    }

    private void Ensure(int more)
    {
        if (_length + more > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + more));
        }
    }
}
