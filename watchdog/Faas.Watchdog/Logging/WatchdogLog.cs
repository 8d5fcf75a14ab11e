using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Faas.Posix;

namespace Faas.Watchdog.Logging;

/// <summary>
/// The watchdog's log: its own messages on stderr, the function's output lines on the stream they came from.
/// Lines are queued and written whole by one writer, which writes a batch and then rests <see cref="BatchInterval"/>
/// so that a busy replica's lines go out in a few large writes: a line per request costs a queue write, not a wake-up
/// and a system call on the request's path (bench <c>watchdog-http</c> prices it). If the reader of the log
/// falls behind by <see cref="Capacity"/> lines, new lines are counted and dropped, and the count is logged, rather
/// than holding up requests or growing without bound.
/// </summary>
internal sealed class WatchdogLog : IAsyncDisposable
{
    private const int Capacity = 16 * 1024;
    private static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(50);
    private static FormattedSecond _timestamp = new(0, "");

    private readonly Channel<(FunctionStream Stream, string Line)> _lines =
        Channel.CreateBounded<(FunctionStream, string)>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly bool _prefixLogs;
    private readonly bool _logInvocations;
    private readonly Task _writer;
    private long _dropped;

    public WatchdogLog(bool prefixLogs, bool logInvocations)
    {
        (_prefixLogs, _logInvocations) = (prefixLogs, logInvocations);
        _writer = Task.Run(WriteAsync);
    }

    public void Info(string message) => Enqueue(FunctionStream.Stderr, $"{Timestamp()} {message}");

    /// <summary>A per-invocation line, written only at the default level (see <c>log_level</c>).</summary>
    public void Invocation(string message)
    {
        if (_logInvocations)
        {
            Info(message);
        }
    }

    /// <summary>
    /// The line for a request in http and static modes, at the default level: <c>GET /path - 200 - ContentLength: 2 (0.0012s)</c>.
    /// Written into one string with whole-number arithmetic: it is on every request's path.
    /// </summary>
    public void Request(string method, string target, int status, long? contentLength, TimeSpan elapsed)
    {
        if (!_logInvocations)
        {
            return;
        }

        var tenthsOfMilliseconds = (elapsed.Ticks + 500) / 1000;
        var (seconds, fraction) = Math.DivRem(tenthsOfMilliseconds, 10_000);
        Enqueue(FunctionStream.Stderr, contentLength is { } length
            ? string.Create(CultureInfo.InvariantCulture, $"{Timestamp()} {method} {target} - {status} - ContentLength: {length} ({seconds}.{fraction:D4}s)")
            : string.Create(CultureInfo.InvariantCulture, $"{Timestamp()} {method} {target} - {status} - ContentLength: - ({seconds}.{fraction:D4}s)"));
    }

    /// <summary>The classic watchdog's lines around a forked invocation.</summary>
    public void Forking() => Invocation("Forking fprocess.");

    public void Wrote(long bytes, long startTimestamp) =>
        Invocation($"Wrote {bytes} Bytes - Duration: {Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture)} seconds");

    /// <summary>A line the function wrote; prefixed with the time and its stream when <c>prefix_logs</c> is on.</summary>
    public void FunctionOutput(FunctionStream stream, string line) =>
        Enqueue(stream, _prefixLogs ? $"{Timestamp()} {(stream == FunctionStream.Stdout ? "stdout" : "stderr")}: {line}" : line);

    /// <summary>
    /// Logs a function's output stream line by line until it ends; a line longer than <paramref name="maxLineLength"/>
    /// (<c>log_buffer_size</c>) is logged in pieces of that size rather than held without bound.
    /// </summary>
    /// <param name="capture">Also receives the whole output, unsplit (serializing mode answers with it on failure).</param>
    public Task LogOutputAsync(Stream source, FunctionStream stream, int maxLineLength, StringBuilder? capture = null) =>
        OutputLines.ReadAsync(source, maxLineLength, line => FunctionOutput(stream, line), capture);

    /// <summary>Writes what is queued and stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer;
    }

    private void Enqueue(FunctionStream stream, string line)
    {
        if (!_lines.Writer.TryWrite((stream, line)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task WriteAsync()
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await using var stdout = new StreamWriter(Console.OpenStandardOutput(), encoding, 64 * 1024);
        await using var stderr = new StreamWriter(Console.OpenStandardError(), encoding, 64 * 1024);
        while (await _lines.Reader.WaitToReadAsync())
        {
            while (_lines.Reader.TryRead(out var entry))
            {
                await (entry.Stream == FunctionStream.Stdout ? stdout : stderr).WriteLineAsync(entry.Line);
            }

            if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
            {
                await stderr.WriteLineAsync($"{Timestamp()} {dropped} log line(s) dropped: the log's reader fell {Capacity} lines behind");
            }

            await stdout.FlushAsync();
            await stderr.FlushAsync();
            await Task.Delay(BatchInterval);
        }
    }

    /// <summary>The time to the second, formatted once a second rather than once a line.</summary>
    private static string Timestamp()
    {
        var now = DateTime.UtcNow;
        var second = now.Ticks / TimeSpan.TicksPerSecond;
        var cached = _timestamp;
        if (cached.Second != second)
        {
            _timestamp = cached = new FormattedSecond(second, now.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        return cached.Text;
    }

    private sealed record FormattedSecond(long Second, string Text);
}

internal enum FunctionStream
{
    Stdout,
    Stderr,
}
