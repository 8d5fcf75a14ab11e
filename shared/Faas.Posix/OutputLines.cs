using System.Text;

namespace Faas.Posix;

/// <summary>
/// A child process's output read as lines of at most a given length. A longer line comes in pieces of that length
/// rather than being held whole: a process that writes gigabytes without a newline costs its reader a bounded buffer.
/// Decoded as UTF-8; a CR is dropped, so CRLF ends a line as LF does. Lines are cut with vectorised searches, not a
/// character at a time: at the watchdog's default level every request adds a line to its replica's log.
/// Lines are handed on from the thread pool. A pipe's read completes on a socket thread in a process whose sockets
/// complete inline (the gateway, the watchdog: see InlineSocketCompletions in Faas.Proxy), and what the caller does
/// with a batch of lines (a log file's writes among it) must not hold up every connection that thread serves.
/// </summary>
public static class OutputLines
{
    private static readonly System.Buffers.SearchValues<char> LineBreaks = System.Buffers.SearchValues.Create("\r\n");

    /// <param name="onLine">Called with each line or piece, in order, from the reading task.</param>
    /// <param name="capture">Also receives the whole output as read, unsplit.</param>
    public static async Task ReadAsync(Stream source, int maxLineLength, Action<string> onLine, StringBuilder? capture = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var line = new StringBuilder();
        int read;
        while ((read = await source.ReadAsync(bytes).ConfigureAwait(false)) > 0)
        {
            if (!Thread.CurrentThread.IsThreadPoolThread)
            {
                await Task.Yield();
            }

            var count = decoder.GetChars(bytes, 0, read, chars, 0);
            capture?.Append(chars, 0, count);
            Split(chars.AsSpan(0, count), line, maxLineLength, onLine);
        }

        if (line.Length > 0)
        {
            Emit(line, onLine);
        }
    }

    private static void Split(ReadOnlySpan<char> text, StringBuilder line, int maxLineLength, Action<string> onLine)
    {
        while (!text.IsEmpty)
        {
            var stop = text.IndexOfAny(LineBreaks);
            var run = stop < 0 ? text : text[..stop];
            while (!run.IsEmpty)
            {
                // A full piece goes out only once more of its line follows: a line of exactly the limit is one line.
                if (line.Length == maxLineLength)
                {
                    Emit(line, onLine);
                }

                var take = Math.Min(maxLineLength - line.Length, run.Length);
                line.Append(run[..take]);
                run = run[take..];
            }

            if (stop < 0)
            {
                return;
            }

            if (text[stop] == '\n')
            {
                Emit(line, onLine);
            }

            text = text[(stop + 1)..];
        }
    }

    private static void Emit(StringBuilder line, Action<string> onLine)
    {
        onLine(line.ToString());
        line.Clear();
    }
}
