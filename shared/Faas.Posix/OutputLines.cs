using System.Text;

namespace Faas.Posix;

/// <summary>
/// A child process's output read as lines of at most a given length. A longer line comes in pieces of that length
/// rather than being held whole: a process that writes gigabytes without a newline costs its reader a bounded buffer.
/// Decoded as UTF-8; a CR is dropped, so CRLF ends a line as LF does.
/// </summary>
public static class OutputLines
{
    /// <param name="onLine">Called with each line or piece, in order, from the reading task.</param>
    /// <param name="capture">Also receives the whole output as read, unsplit.</param>
    public static async Task ReadAsync(Stream source, int maxLineLength, Action<string> onLine, StringBuilder? capture = null)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var line = new StringBuilder();
        int read;
        while ((read = await source.ReadAsync(bytes).ConfigureAwait(false)) > 0)
        {
            var count = decoder.GetChars(bytes, 0, read, chars, 0);
            capture?.Append(chars, 0, count);
            for (var i = 0; i < count; i++)
            {
                var c = chars[i];
                if (c == '\n')
                {
                    Emit(line, onLine);
                }
                else if (c != '\r')
                {
                    line.Append(c);
                    if (line.Length >= maxLineLength)
                    {
                        Emit(line, onLine);
                    }
                }
            }
        }

        if (line.Length > 0)
        {
            Emit(line, onLine);
        }
    }

    private static void Emit(StringBuilder line, Action<string> onLine)
    {
        onLine(line.ToString());
        line.Clear();
    }
}
