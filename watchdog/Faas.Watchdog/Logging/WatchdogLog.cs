namespace Faas.Watchdog.Logging;

/// <summary>
/// The watchdog's log: its own messages on stderr, the function's output lines on the stream they came from.
/// Lines are written whole so concurrent replicas' output never interleaves mid-line.
/// </summary>
public sealed class WatchdogLog(bool prefixLogs)
{
    private readonly Lock _lock = new();

    public void Info(string message) => Write(Console.Error, $"{Timestamp()} {message}");

    /// <summary>A line the function wrote; prefixed with the time and its stream when <c>prefix_logs</c> is on.</summary>
    public void FunctionOutput(FunctionStream stream, string line)
    {
        var writer = stream == FunctionStream.Stdout ? Console.Out : Console.Error;
        Write(writer, prefixLogs ? $"{Timestamp()} {(stream == FunctionStream.Stdout ? "stdout" : "stderr")}: {line}" : line);
    }

    private void Write(TextWriter writer, string line)
    {
        lock (_lock)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Timestamp() => DateTime.UtcNow.ToString("yyyy/MM/dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}

public enum FunctionStream
{
    Stdout,
    Stderr,
}
