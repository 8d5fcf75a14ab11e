using System.Text;

namespace Faas.Harness;

/// <summary>Reads a byte stream by terminators and counts (Latin-1 text), keeping what arrived beyond them for the next read.</summary>
public sealed class StreamBytes(Stream stream)
{
    private readonly List<byte> _pending = [];

    /// <summary>Nothing read ahead is waiting.</summary>
    public bool IsEmpty => _pending.Count == 0;

    /// <summary>Everything before the next <paramref name="terminator"/>, which is consumed; null if the stream ends first.</summary>
    public async Task<string?> ReadUntilAsync(string terminator)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. _pending]);
            var end = text.IndexOf(terminator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.RemoveRange(0, end + terminator.Length);
                return text[..end];
            }

            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes.</summary>
    public async Task<byte[]> ReadBytesAsync(int count)
    {
        var buffer = new byte[4096];
        while (_pending.Count < count)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                throw new IOException($"the stream ended {count - _pending.Count} bytes short");
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        var bytes = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return bytes;
    }
}
