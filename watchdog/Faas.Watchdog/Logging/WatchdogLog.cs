using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Faas.Posix;

namespace Faas.Watchdog.Logging;

/// <summary>
/// The watchdog's log: its own messages on stderr, the function's output lines on the stream they came from.
/// A line is written as UTF-8 straight into the batch of its stream, under a lock; one writer takes both batches,
/// writes them, and then rests <see cref="DefaultBatchInterval"/>, so that a busy replica's lines go out in a few large
/// writes: a line per request costs a copy into a buffer, not an allocation, a wake-up or a system call on the
/// request's path (bench <c>watchdog-http</c> prices it). If the reader of the log falls behind, so that a stream
/// holds <see cref="Capacity"/> bytes unwritten, new lines are counted and dropped, and the count is logged, rather
/// than holding up requests or growing without bound. An idle replica's writer sleeps until a line comes.
/// </summary>
internal sealed class WatchdogLog : IAsyncDisposable
{
    private const int Capacity = 4 * 1024 * 1024;

    /// <summary>The most a batch buffer keeps between batches, so that a burst's memory is not held for good.</summary>
    private const int RetainedCapacity = 256 * 1024;

    private static readonly TimeSpan DefaultBatchInterval = TimeSpan.FromMilliseconds(50);
    private static FormattedSecond _timestamp = new(0, []);

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _linesWaiting = new(0);

    /// <summary>Completed when the log closes: cuts the batch's rest short, so a stop does not wait it out.</summary>
    private readonly TaskCompletionSource _closing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _batchInterval;
    private readonly bool _prefixLogs;
    private readonly bool _logInvocations;
    private readonly Task _writer;
    private readonly Stream? _stdoutStream;
    private readonly Stream? _stderrStream;
    private ArrayBufferWriter<byte> _stdout = new(4096);
    private ArrayBufferWriter<byte> _stderr = new(4096);
    private bool _writerWoken;
    private bool _closed;
    private long _dropped;

    /// <param name="stdout">Where stdout lines go; the process's stdout unless given (tests).</param>
    /// <param name="stderr">Where stderr lines go; the process's stderr unless given (tests).</param>
    /// <param name="batchInterval">How long the writer rests after a batch; 50 ms unless given (tests).</param>
    public WatchdogLog(bool prefixLogs, bool logInvocations, Stream? stdout = null, Stream? stderr = null, TimeSpan? batchInterval = null)
    {
        (_prefixLogs, _logInvocations, _stdoutStream, _stderrStream) = (prefixLogs, logInvocations, stdout, stderr);
        _batchInterval = batchInterval ?? DefaultBatchInterval;
        _writer = Task.Run(WriteAsync);
    }

    public void Info(string message)
    {
        lock (_lock)
        {
            if (Begin(FunctionStream.Stderr) is { } batch)
            {
                AppendTimestamp(batch);
                AppendUtf8(batch, message);
                End(batch);
            }
        }
    }

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
    /// Formatted straight into the batch with whole-number arithmetic: it is on every request's path.
    /// </summary>
    public void Request(string method, string target, int status, long? contentLength, TimeSpan elapsed)
    {
        if (!_logInvocations)
        {
            return;
        }

        var tenthsOfMilliseconds = (elapsed.Ticks + 500) / 1000;
        var (seconds, fraction) = Math.DivRem(tenthsOfMilliseconds, 10_000);
        lock (_lock)
        {
            if (Begin(FunctionStream.Stderr) is not { } batch)
            {
                return;
            }

            AppendTimestamp(batch);
            AppendUtf8(batch, method);
            batch.Write(" "u8);
            AppendUtf8(batch, target);
            var span = batch.GetSpan(80);
            var written = contentLength is { } length
                ? Utf8.TryWrite(span, CultureInfo.InvariantCulture, $" - {status} - ContentLength: {length} ({seconds}.{fraction:D4}s)", out var count) ? count : 0
                : Utf8.TryWrite(span, CultureInfo.InvariantCulture, $" - {status} - ContentLength: - ({seconds}.{fraction:D4}s)", out count) ? count : 0;
            batch.Advance(written);
            End(batch);
        }
    }

    /// <summary>The classic watchdog's lines around a forked invocation.</summary>
    public void Forking() => Invocation("Forking fprocess.");

    public void Wrote(long bytes, long startTimestamp) =>
        Invocation($"Wrote {bytes} Bytes - Duration: {Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture)} seconds");

    /// <summary>A line the function wrote; prefixed with the time and its stream when <c>prefix_logs</c> is on.</summary>
    public void FunctionOutput(FunctionStream stream, string line)
    {
        lock (_lock)
        {
            if (Begin(stream) is not { } batch)
            {
                return;
            }

            if (_prefixLogs)
            {
                AppendTimestamp(batch);
                batch.Write(stream == FunctionStream.Stdout ? "stdout: "u8 : "stderr: "u8);
            }

            AppendUtf8(batch, line);
            End(batch);
        }
    }

    /// <summary>
    /// Logs a function's output stream line by line until it ends; a line longer than <paramref name="maxLineLength"/>
    /// (<c>log_buffer_size</c>) is logged in pieces of that size rather than held without bound.
    /// </summary>
    /// <param name="capture">Also receives the whole output, unsplit (serializing mode answers with it on failure).</param>
    public Task LogOutputAsync(Stream source, FunctionStream stream, int maxLineLength, StringBuilder? capture = null) =>
        OutputLines.ReadAsync(source, maxLineLength, line => FunctionOutput(stream, line), capture);

    /// <summary>Writes what is batched and stops the writer; later lines are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _closed = true;
        }

        _closing.TrySetResult();
        _linesWaiting.Release();
        await _writer;
    }

    /// <summary>The batch a line for <paramref name="stream"/> goes into; null when it is dropped. Under the lock.</summary>
    private ArrayBufferWriter<byte>? Begin(FunctionStream stream)
    {
        var batch = stream == FunctionStream.Stdout ? _stdout : _stderr;
        if (_closed)
        {
            return null;
        }

        if (batch.WrittenCount >= Capacity)
        {
            _dropped++;
            return null;
        }

        return batch;
    }

    /// <summary>Ends a line, and wakes the writer if it sleeps. Under the lock.</summary>
    private void End(ArrayBufferWriter<byte> batch)
    {
        batch.Write("\n"u8);
        if (!_writerWoken)
        {
            _writerWoken = true;
            _linesWaiting.Release();
        }
    }

    private async Task WriteAsync()
    {
        var stdout = _stdoutStream ?? Console.OpenStandardOutput();
        var stderr = _stderrStream ?? Console.OpenStandardError();
        var (spareStdout, spareStderr) = (new ArrayBufferWriter<byte>(4096), new ArrayBufferWriter<byte>(4096));
        while (true)
        {
            await _linesWaiting.WaitAsync();
            bool closed;
            lock (_lock)
            {
                closed = _closed;
            }

            if (!closed)
            {
                await Task.WhenAny(Task.Delay(_batchInterval), _closing.Task);
            }

            ArrayBufferWriter<byte> outLines, errLines;
            long dropped;
            lock (_lock)
            {
                (outLines, _stdout) = (_stdout, spareStdout);
                (errLines, _stderr) = (_stderr, spareStderr);
                (dropped, _dropped) = (_dropped, 0);
                _writerWoken = false;
                closed = _closed;
            }

            if (dropped > 0)
            {
                AppendTimestamp(errLines);
                AppendUtf8(errLines, $"{dropped} log line(s) dropped: the log's reader fell {Capacity / (1024 * 1024)} MiB behind\n");
            }

            await WriteQuietlyAsync(stdout, outLines);
            await WriteQuietlyAsync(stderr, errLines);
            (spareStdout, spareStderr) = (Recycle(outLines), Recycle(errLines));
            if (closed)
            {
                return;
            }
        }
    }

    /// <summary>A reader that closed its end loses the lines; the watchdog goes on.</summary>
    private static async Task WriteQuietlyAsync(Stream stream, ArrayBufferWriter<byte> lines)
    {
        if (lines.WrittenCount == 0)
        {
            return;
        }

        try
        {
            await stream.WriteAsync(lines.WrittenMemory);
        }
        catch (IOException)
        {
            // Nobody reads the log any more.
        }
    }

    private static ArrayBufferWriter<byte> Recycle(ArrayBufferWriter<byte> batch)
    {
        if (batch.Capacity > RetainedCapacity)
        {
            return new ArrayBufferWriter<byte>(4096);
        }

        batch.ResetWrittenCount();
        return batch;
    }

    private static void AppendUtf8(ArrayBufferWriter<byte> batch, ReadOnlySpan<char> text)
    {
        var written = Encoding.UTF8.GetBytes(text, batch.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        batch.Advance(written);
    }

    /// <summary>The time to the second and a space, formatted once a second rather than once a line.</summary>
    private static void AppendTimestamp(ArrayBufferWriter<byte> batch)
    {
        var now = DateTime.UtcNow;
        var second = now.Ticks / TimeSpan.TicksPerSecond;
        var cached = _timestamp;
        if (cached.Second != second)
        {
            _timestamp = cached = new FormattedSecond(second, Encoding.ASCII.GetBytes(now.ToString("yyyy/MM/dd HH:mm:ss ", CultureInfo.InvariantCulture)));
        }

        batch.Write(cached.Text);
    }

    private sealed record FormattedSecond(long Second, byte[] Text);
}

internal enum FunctionStream
{
    Stdout,
    Stderr,
}
