using System.Text;
using Faas.Provider.Docker.Engine;

namespace Faas.Provider.Docker.Tests.Engine;

public class MultiplexedStreamTests
{
    private sealed class OneByteAtATime(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => base.ReadAsync(buffer[..1], cancellationToken);
    }

    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        return [stream, 0, 0, 0, (byte)(payload.Length >> 24), (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
    }

    [Fact]
    public async Task Frames_come_out_whole_whatever_the_reads()
    {
        var frames = new List<LogFrame>();
        await foreach (var frame in MultiplexedStream.ReadAsync(new OneByteAtATime([.. Frame(1, "out\n"), .. Frame(2, new string('e', 70_000)), .. Frame(1, "")]), CancellationToken.None))
        {
            frames.Add(frame);
        }

        Assert.Equal([LogStream.Stdout, LogStream.Stderr, LogStream.Stdout], frames.Select(f => f.Stream));
        Assert.Equal("out\n", Encoding.UTF8.GetString(frames[0].Data));
        Assert.Equal(70_000, frames[1].Data.Length);
    }

    [Fact]
    public async Task A_truncated_frame_or_a_tty_stream_is_an_error()
    {
        await Assert.ThrowsAsync<EndOfStreamException>(async () =>
        {
            await foreach (var _ in MultiplexedStream.ReadAsync(new MemoryStream(Frame(1, "cut short")[..10]), CancellationToken.None))
            {
            }
        });
        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in MultiplexedStream.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("plain tty output\n")), CancellationToken.None))
            {
            }
        });
    }
}
