using System.Text;
using Faas.Nats.Protocol;

namespace Faas.Nats.Tests.Protocol;

public class FrameReaderTests
{
    /// <summary>Hands out its bytes a few at a time, as a slow network would.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Frames_split_across_reads_come_out_whole(int chunk)
    {
        var large = new string('x', 200_000);
        var wire = Encoding.UTF8.GetBytes($"INFO {{}}\r\nMSG a.b 1 5\r\nhello\r\nMSG big 2 {large.Length}\r\n{large}\r\nPING\r\n");
        var reader = new FrameReader(new TrickleStream(wire, chunk));

        Assert.Equal("INFO {}", await reader.ReadLineAsync(CancellationToken.None));
        Assert.Equal("MSG a.b 1 5", await reader.ReadLineAsync(CancellationToken.None));
        Assert.Equal("hello", Encoding.UTF8.GetString(await reader.ReadPayloadAsync(5, CancellationToken.None)));
        Assert.Equal($"MSG big 2 {large.Length}", await reader.ReadLineAsync(CancellationToken.None));
        Assert.Equal(large, Encoding.UTF8.GetString(await reader.ReadPayloadAsync(large.Length, CancellationToken.None)));
        Assert.Equal("PING", await reader.ReadLineAsync(CancellationToken.None));
        Assert.Null(await reader.ReadLineAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_payload_cut_off_by_the_end_of_the_stream_is_an_error()
    {
        var reader = new FrameReader(new MemoryStream(Encoding.UTF8.GetBytes("MSG a 1 10\r\nshort")));

        await reader.ReadLineAsync(CancellationToken.None);

        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadPayloadAsync(10, CancellationToken.None));
    }

    [Fact]
    public void Headers_parse_with_status_and_repeated_names()
    {
        var headers = NatsHeaders.Parse(Encoding.UTF8.GetBytes("NATS/1.0 404 No Messages\r\nNats-Msg-Id: a\r\nX-Tag: 1\r\nx-tag: 2\r\n\r\n"));

        Assert.Equal(404, headers.Status);
        Assert.Equal("No Messages", headers.StatusDescription);
        Assert.Equal("a", headers["nats-msg-id"]);
        Assert.Equal(3, headers.Count);
        Assert.Equal("NATS/1.0\r\nA: b\r\n\r\n", Encoding.UTF8.GetString(new NatsHeaders().Add("A", "b").ToBytes()));
        Assert.Throws<ArgumentException>(() => new NatsHeaders().Add("Bad Name", "x"));
    }
}
