using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Logs;

/// <summary>
/// One function's output: every replica's lines as JSON objects (the wire's LogMessage) appended to a file
/// rotated past a size limit (one previous file kept), and pushed to anyone following.
/// </summary>
internal sealed class FunctionLog(string path, long maxBytes) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Channel<LogMessage>> _followers = [];
    private FileStream? _file;

    public void Append(LogMessage message)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(message, ProviderJson.Default.LogMessage);
        lock (_lock)
        {
            _file ??= Open();
            if (_file.Length + line.Length + 1 > maxBytes)
            {
                _file.Dispose();
                File.Move(path, path + ".1", overwrite: true);
                _file = Open();
            }

            _file.Write(line);
            _file.WriteByte((byte)'\n');
            _file.Flush();
            foreach (var follower in _followers)
            {
                follower.Writer.TryWrite(message);
            }
        }
    }

    public async IAsyncEnumerable<LogMessage> ReadAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Channel<LogMessage>? live = null;
        List<LogMessage> history;
        lock (_lock)
        {
            // Subscribing under the same lock as the file read means no line is missed or repeated between the two.
            history = [.. ReadFile(path + ".1").Concat(ReadFile(path)).Where(m => Matches(m, request))];
            if (request.Follow)
            {
                live = Channel.CreateUnbounded<LogMessage>(new UnboundedChannelOptions { SingleReader = true });
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

            await foreach (var message in live.Reader.ReadAllAsync(cancellationToken))
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
            _file?.Dispose();
            _file = null;
            foreach (var follower in _followers)
            {
                follower.Writer.TryComplete();
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
            _file?.Dispose();
            _file = null;
            foreach (var follower in _followers)
            {
                follower.Writer.TryComplete();
            }
        }
    }

    private FileStream Open()
    {
        Host.State.StateDirectory.EnsureDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
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
