using System.Runtime.CompilerServices;
using System.Text.Json;
using Faas.Provider.Wire;
using Microsoft.Extensions.Logging;

namespace Faas.Provider.Local.Logs;

/// <summary>
/// One function's output: every replica's lines as JSON objects (the wire's LogMessage) appended to a file
/// rotated past a size limit (one previous file kept), and pushed to anyone following. Lines are written behind:
/// they reach the file within <see cref="FlushDelay"/> (or as soon as anyone reads it), so a busy replica's lines,
/// one per request at the watchdog's default level, cost a few large writes rather than a write per line. A file
/// that cannot be written (a full disk) loses lines, is logged once, and is tried again with the next line; followers
/// still get every line. Once disposed or deleted it takes no more lines: a replica's last lines, read after the
/// function was deleted or the gateway stopped, must not create the file (and its directories) again.
/// </summary>
internal sealed partial class FunctionLog(string path, long maxBytes, ILogger log) : IDisposable
{
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(100);
    private const int BufferBytes = 16 * 1024;
    private const int RetainedLineBytes = 16 * 1024;

    private readonly Lock _lock = new();
    private readonly List<LogFollower> _followers = [];

    // One line's JSON, reused under the lock (a line per request at the watchdog's default level); a long line's is not kept.
    private System.Buffers.ArrayBufferWriter<byte> _line = new(256);
    private readonly Utf8JsonWriter _json = new(new System.Buffers.ArrayBufferWriter<byte>(1));
    private FileStream? _file;
    private long _length;
    private bool _flushScheduled;
    private bool _failing;
    private bool _closed;

    public void Append(LogMessage message)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _line.ResetWrittenCount();
            _json.Reset(_line);
            message.WriteTo(_json);
            WriteToFile(_line.WrittenSpan);
            if (_line.Capacity > RetainedLineBytes)
            {
                _line = new(256);
            }

            foreach (var follower in _followers)
            {
                follower.Offer(message);
            }
        }
    }

    public async IAsyncEnumerable<LogMessage> ReadAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LogFollower? live = null;
        List<LogMessage> history;
        lock (_lock)
        {
            Flush();
            // Subscribing under the same lock as the file read means no line is missed or repeated between the two.
            history = [.. ReadFile(path + ".1").Concat(ReadFile(path)).Where(m => Matches(m, request))];
            if (request.Follow)
            {
                live = new LogFollower();
                _followers.Add(live);
            }
        }

        try
        {
            foreach (var message in request.Tail is int tail ? history.TakeLast(tail) : history)
            {
                yield return message;
            }

            if (live is null)
            {
                yield break;
            }

            await foreach (var message in live.Lines.ReadAllAsync(cancellationToken))
            {
                if (Matches(message, request))
                {
                    yield return message;
                }
            }
        }
        finally
        {
            if (live is not null)
            {
                lock (_lock)
                {
                    _followers.Remove(live);
                }
            }
        }
    }

    /// <summary>Ends every follow (the function was deleted) and deletes the files.</summary>
    public void DeleteFiles()
    {
        lock (_lock)
        {
            _closed = true;
            CloseQuietly();
            foreach (var follower in _followers)
            {
                follower.End();
            }

            if (Directory.Exists(Path.GetDirectoryName(path)))
            {
                File.Delete(path);
                File.Delete(path + ".1");
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            Flush();
            CloseQuietly();
            _json.Dispose();
            foreach (var follower in _followers)
            {
                follower.End();
            }
        }
    }

    private void WriteToFile(ReadOnlySpan<byte> line)
    {
        try
        {
            if (_file is null)
            {
                _file = Open();
                _length = _file.Length;
            }

            if (_length + line.Length + 1 > maxBytes)
            {
                _file.Dispose();
                File.Move(path, path + ".1", overwrite: true);
                _file = Open();
                _length = 0;
            }

            _file.Write(line);
            _file.WriteByte((byte)'\n');
            _length += line.Length + 1;
            if (!_flushScheduled)
            {
                _flushScheduled = true;
                _ = FlushSoonAsync();
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Failed(error);
        }
    }

    private async Task FlushSoonAsync()
    {
        await Task.Delay(FlushDelay);
        lock (_lock)
        {
            _flushScheduled = false;
            Flush();
        }
    }

    private void Flush()
    {
        try
        {
            _file?.Flush();
            _failing = false;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Failed(error);
        }
    }

    private void Failed(Exception error)
    {
        if (!_failing)
        {
            _failing = true;
            LogWriteFailed(log, path, error.Message);
        }

        CloseQuietly();
    }

    private void CloseQuietly()
    {
        try
        {
            _file?.Dispose();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Disposing flushes what is buffered: after a failed write, the lines that could not be written.
        }

        _file = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function log {Path} cannot be written, lines are lost until it can: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string error);

    private FileStream Open()
    {
        Host.State.StateDirectory.EnsureDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = BufferBytes,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    private static bool Matches(LogMessage message, LogRequest request) =>
        (request.Since is null || message.Timestamp >= request.Since) &&
        (request.Instance is null || message.Instance == request.Instance);

    private static IEnumerable<LogMessage> ReadFile(string file)
    {
        if (!File.Exists(file))
        {
            yield break;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            LogMessage? message = null;
            try
            {
                message = JsonSerializer.Deserialize(line, ProviderJson.Default.LogMessage);
            }
            catch (JsonException)
            {
                // A line torn by a crash mid-write: skip it rather than lose the rest of the log.
            }

            if (message is not null)
            {
                yield return message;
            }
        }
    }
}
