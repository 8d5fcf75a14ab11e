using System.Text;

namespace Faas.Proxy.Upstream;

/// <summary>
/// An upstream response's status line and header fields, in the order received. The fields stay bytes, as they arrived
/// (a copy of the head, with each field's name and trimmed value located in it), so a relay writes them on without
/// making strings of them. One instance per connection, filled again for each response (see <see cref="ResponseHeadParser"/>):
/// valid until the connection reads its next head.
/// </summary>
internal sealed class ResponseHead
{
    private const int InitialCapacity = 256;

    /// <summary>The most a connection keeps between responses; a larger head's copy is let go at the next.</summary>
    private const int RetainedCapacity = 16 * 1024;

    private const int RetainedFields = 64;

    private byte[] _bytes = new byte[InitialCapacity];
    private Field[] _fields = new Field[16];

    public int StatusCode { get; private set; }

    public long? ContentLength { get; private set; }

    public bool IsChunked { get; private set; }

    /// <summary>The upstream will close the connection after this response (Connection: close, or HTTP/1.0 without keep-alive).</summary>
    public bool ClosesConnection { get; private set; }

    /// <summary>Header names listed in the Connection header besides close and keep-alive: hop-by-hop for this message only.</summary>
    public List<string>? ConnectionTokens { get; private set; }

    public int FieldCount { get; private set; }

    public ReadOnlySpan<byte> Name(int index) => _bytes.AsSpan(_fields[index].NameStart, _fields[index].NameLength);

    public ReadOnlySpan<byte> Value(int index) => _bytes.AsSpan(_fields[index].ValueStart, _fields[index].ValueLength);

    /// <summary>Whether a header describes this connection only: a standard hop-by-hop field or one the Connection header names.</summary>
    public bool IsHopByHop(ReadOnlySpan<byte> name)
    {
        if (HopByHopHeaders.Contains(name))
        {
            return true;
        }

        if (ConnectionTokens is not { } tokens)
        {
            return false;
        }

        foreach (var token in tokens)
        {
            if (Ascii.EqualsIgnoreCase(name, token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Starts over with a new head: its bytes are copied, so the connection's read buffer may move on.</summary>
    internal void Reset(int statusCode, bool http10, ReadOnlySpan<byte> head)
    {
        if (_bytes.Length < head.Length || _bytes.Length > RetainedCapacity)
        {
            _bytes = new byte[Math.Max(head.Length, InitialCapacity)];
        }

        if (_fields.Length > RetainedFields)
        {
            _fields = new Field[RetainedFields];
        }

        head.CopyTo(_bytes);
        StatusCode = statusCode;
        ContentLength = null;
        IsChunked = false;
        ClosesConnection = http10;
        ConnectionTokens = null;
        FieldCount = 0;
    }

    /// <summary>Adds a field located in the head passed to <see cref="Reset"/>; the offsets are into that head.</summary>
    internal void AddField(int nameStart, int nameLength, int valueStart, int valueLength)
    {
        if (FieldCount == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        _fields[FieldCount++] = new Field(nameStart, nameLength, valueStart, valueLength);
    }

    internal void SetContentLength(long length) => ContentLength = length;

    internal void SetChunked(bool chunked) => IsChunked = chunked;

    internal void SetClosesConnection(bool closes) => ClosesConnection = closes;

    internal void AddConnectionToken(string token) => (ConnectionTokens ??= []).Add(token);

    private readonly record struct Field(int NameStart, int NameLength, int ValueStart, int ValueLength);
}
