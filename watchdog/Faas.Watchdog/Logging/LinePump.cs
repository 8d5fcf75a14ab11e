using System.Text;

namespace Faas.Watchdog.Logging;

/// <summary>
/// Copies a child's output stream to the log line by line. A line longer than <c>log_buffer_size</c> is
/// logged in pieces of that size rather than held without bound.
/// </summary>
internal static class LinePump
{
    public static async Task PumpAsync(Stream source, FunctionStream stream, WatchdogLog log, int maxLineLength, StringBuilder? capture = null)
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
                    Emit(line, stream, log);
                }
                else if (c != '\r')
                {
                    line.Append(c);
                    if (line.Length >= maxLineLength)
                    {
                        Emit(line, stream, log);
                    }
                }
            }
        }

        if (line.Length > 0)
        {
            Emit(line, stream, log);
        }
    }

    private static void Emit(StringBuilder line, FunctionStream stream, WatchdogLog log)
    {
        log.FunctionOutput(stream, line.ToString());
        line.Clear();
    }
}
