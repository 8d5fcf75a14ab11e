using System.Buffers;
using System.Text;

namespace Faas.Proxy.Upstream;

/// <summary>Writes an HTTP/1.1 request head into a pooled buffer (Latin-1, as header bytes arrive from Kestrel).</summary>
internal sealed class RequestHeadWriter : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _length;

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void RequestLine(string method, string target)
    {
        Append(method);
        Append(" ");
        Append(target);
        Append(" HTTP/1.1\r\n");
    }

    public void Header(string name, string value)
    {
        Append(name);
        Append(": ");
        Append(value);
        Append("\r\n");
    }

    /// <summary>The Host header for an upstream endpoint, written without building the "host:port" string; an IPv6 address in brackets.</summary>
    public void HostHeader(string host, int port)
    {
        Append("Host: ");
        var ipv6 = UpstreamHost.NeedsBrackets(host);
        if (ipv6)
        {
            Append("[");
        }

        Append(host);
        Append(ipv6 ? "]:" : ":");
        Span<char> digits = stackalloc char[11];
        port.TryFormat(digits, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        Append(digits[..written]);
        Append("\r\n");
    }

    public void End() => Append("\r\n");

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Append(ReadOnlySpan<char> text)
    {
        var needed = Encoding.Latin1.GetByteCount(text);
        if (_length + needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + needed));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        _length += Encoding.Latin1.GetBytes(text, _buffer.AsSpan(_length));
    }
}
