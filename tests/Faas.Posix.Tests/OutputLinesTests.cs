using System.Text;

namespace Faas.Posix.Tests;

public class OutputLinesTests
{
    [Fact]
    public async Task Lines_end_at_LF_or_CRLF_and_empty_lines_are_kept()
    {
        var lines = await ReadAsync("one\ntwo\r\n\nthree\r\nlast without newline", maxLineLength: 100);

        Assert.Equal(["one", "two", "", "three", "last without newline"], lines);
    }

    [Fact]
    public async Task A_carriage_return_anywhere_is_dropped()
    {
        var lines = await ReadAsync("progress 10%\rprogress 20%\r\r\n", maxLineLength: 100);

        Assert.Equal(["progress 10%progress 20%"], lines);
    }

    [Fact]
    public async Task A_long_line_comes_in_pieces_of_the_limit_and_one_of_exactly_the_limit_is_one_line()
    {
        var lines = await ReadAsync("abcdefgh\nabcd\nab\n", maxLineLength: 4);

        Assert.Equal(["abcd", "efgh", "abcd", "ab"], lines);
    }

    [Fact]
    public async Task Characters_split_across_reads_are_decoded_whole()
    {
        // One byte per read: the two-byte é, the three-byte € and the four-byte emoji each straddle reads.
        var text = "café €5 🙂\nnext\n";
        var lines = await ReadAsync(text, maxLineLength: 100, bytesPerRead: 1);

        Assert.Equal(["café €5 🙂", "next"], lines);
    }

    [Fact]
    public async Task The_capture_holds_the_output_as_read()
    {
        var capture = new StringBuilder();
        var text = "a\r\nb\nlonger than four\n";
        await ReadAsync(text, maxLineLength: 4, capture: capture);

        Assert.Equal(text, capture.ToString());
    }

    [Fact]
    public async Task Lines_are_handed_on_from_the_thread_pool_when_a_read_completes_on_a_thread_outside_it()
    {
        // As a pipe's read completes on a socket thread in a process whose sockets complete inline (the gateway):
        // the read here completes at once, on the thread that started it, one outside the pool.
        var fromPool = new List<bool>();
        Task? reading = null;
        var socketThread = new Thread(() => reading = OutputLines.ReadAsync(
            new TrickleStream("one\ntwo\n"u8.ToArray(), bytesPerRead: 4), 100, _ => fromPool.Add(Thread.CurrentThread.IsThreadPoolThread)));
        socketThread.Start();
        socketThread.Join();
        await reading!;

        Assert.Equal([true, true], fromPool);
    }

    private static async Task<List<string>> ReadAsync(string text, int maxLineLength, int bytesPerRead = int.MaxValue, StringBuilder? capture = null)
    {
        var lines = new List<string>();
        await OutputLines.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(text), bytesPerRead), maxLineLength, lines.Add, capture);
        return lines;
    }

    /// <summary>A stream that hands out at most a given number of bytes per read, as a pipe may.</summary>
    private sealed class TrickleStream(byte[] data, int bytesPerRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerRead)], cancellationToken);
    }
}
