using System.Buffers;
using System.Text;

namespace Faas.Proxy.Http1;

/// <summary>A short text/plain response written straight onto a connection (the fast path's own answers: health, 429, 5xx).</summary>
public static class PlainResponse
{
    /// <param name="extraHeaders">Complete header lines ("Name: value\r\n"), or empty.</param>
    public static void Write(IBufferWriter<byte> output, HeadBuffer scratch, int statusCode, string message, ReadOnlySpan<byte> extraHeaders)
    {
        scratch.Clear();
        scratch.Append(StatusLines.For(statusCode));
        scratch.Append("Content-Type: text/plain; charset=utf-8\r\n"u8);
        scratch.Append(DateHeader.Line);
        scratch.Append(extraHeaders);
        scratch.Header("Content-Length"u8, Encoding.UTF8.GetByteCount(message) + 1);
        scratch.Append("\r\n"u8);
        output.Write(scratch.WrittenSpan);
        var body = output.GetSpan(Encoding.UTF8.GetMaxByteCount(message.Length) + 1);
        var written = Encoding.UTF8.GetBytes(message, body);
        body[written] = (byte)'\n';
        output.Advance(written + 1);
    }
}
