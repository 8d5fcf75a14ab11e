using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Faas.Nats.Protocol;

namespace Faas.Nats;

/// <summary>
/// One connection to a NATS server speaking the client protocol: CONNECT (user/password or token), PUB and HPUB,
/// SUB and UNSUB (with queue groups), MSG and HMSG, PING/PONG, +OK/-ERR. A lost connection is re-established with
/// backoff and every subscription is sent again; publishers wait for the connection meanwhile. Requests share one
/// wildcard inbox subscription.
/// </summary>
public sealed partial class NatsConnection : IAsyncDisposable
{
    private readonly NatsOptions _options;
    private readonly Uri _url;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, NatsSubscription> _subscriptions = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<NatsMessage>> _requests = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _pongs = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly string _inbox = "_INBOX." + Guid.NewGuid().ToString("N");
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _socket;
    private NetworkStream? _stream;
    private Task _readLoop = Task.CompletedTask;
    private long _nextSid;
    private long _nextRequest;

    private NatsConnection(NatsOptions options)
    {
        _options = options;
        _url = new Uri(options.Url.Contains("://", StringComparison.Ordinal) ? options.Url : "nats://" + options.Url);
    }

    public ServerInfo Info { get; private set; } = new();

    /// <summary>Times the connection was re-established after a loss.</summary>
    public int Reconnects { get; private set; }

    public bool IsConnected => _connected.Task.IsCompletedSuccessfully;

    /// <summary>The last <c>-ERR</c> the server sent.</summary>
    public string? LastError { get; private set; }

    public static async Task<NatsConnection> ConnectAsync(NatsOptions options, CancellationToken cancellationToken = default)
    {
        var connection = new NatsConnection(options);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public Task PublishAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        CheckSubject(subject);
        var headerBytes = headers?.ToBytes();
        var total = (headerBytes?.Length ?? 0) + data.Length;
        if (total > Info.MaxPayload)
        {
            throw new NatsException($"a message of {total} bytes to {subject} exceeds the server's max_payload of {Info.MaxPayload} bytes");
        }

        var reply = replyTo is null ? "" : " " + replyTo;
        var line = headerBytes is null
            ? $"PUB {subject}{reply} {data.Length}\r\n"
            : $"HPUB {subject}{reply} {headerBytes.Length} {total}\r\n";
        var frame = new byte[Encoding.UTF8.GetByteCount(line) + total + 2];
        var written = Encoding.UTF8.GetBytes(line, frame);
        headerBytes?.CopyTo(frame, written);
        data.Span.CopyTo(frame.AsSpan(written + (headerBytes?.Length ?? 0)));
        frame[^2] = (byte)'\r';
        frame[^1] = (byte)'\n';
        return WriteAsync(frame, cancellationToken);
    }

    /// <summary>Subscribes; messages are read from the returned subscription until it is disposed (UNSUB).</summary>
    public async Task<NatsSubscription> SubscribeAsync(string subject, string? queueGroup = null, CancellationToken cancellationToken = default)
    {
        CheckSubject(subject);
        var subscription = new NatsSubscription(this, Interlocked.Increment(ref _nextSid), subject, queueGroup);
        _subscriptions[subscription.Sid] = subscription;
        await WriteAsync(Encoding.UTF8.GetBytes(SubLine(subscription)), cancellationToken);
        return subscription;
    }

    /// <summary>Publishes with a reply inbox and returns the first reply; a 503 status means nobody listens.</summary>
    public async Task<NatsMessage> RequestAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var replyTo = $"{_inbox}.{Interlocked.Increment(ref _nextRequest)}";
        var reply = new TaskCompletionSource<NatsMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[replyTo] = reply;
        var wait = timeout ?? _options.RequestTimeout;
        try
        {
            await PublishAsync(subject, data, headers, replyTo, cancellationToken);
            var message = await reply.Task.WaitAsync(wait, cancellationToken);
            return message.Status == 503 ? throw new NatsNoRespondersException(subject) : message;
        }
        catch (TimeoutException)
        {
            throw new NatsTimeoutException(subject, wait);
        }
        finally
        {
            _requests.TryRemove(replyTo, out _);
        }
    }

    /// <summary>A fresh inbox subject for replies the caller collects itself.</summary>
    public string NewInbox() => $"{_inbox}.x{Interlocked.Increment(ref _nextRequest)}";

    /// <summary>Round trip to the server: everything written before has been processed when this returns.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await ConnectedAsync(cancellationToken);
            _pongs.Enqueue(pong);
            await _stream!.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }

        await pong.Task.WaitAsync(_options.RequestTimeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        if (IsConnected)
        {
            try
            {
                await FlushAsync(CancellationToken.None);
            }
            catch (Exception error) when (error is NatsException or IOException or TimeoutException or SocketException)
            {
            }
        }

        await _disposed.CancelAsync();
        _connected.TrySetException(new NatsException("the connection is closed"));
        _socket?.Dispose();
        try
        {
            await _readLoop;
        }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Complete();
        }

        _disposed.Dispose();
    }

    internal async Task UnsubscribeAsync(NatsSubscription subscription)
    {
        if (_subscriptions.TryRemove(subscription.Sid, out _) && IsConnected)
        {
            try
            {
                await WriteAsync(Encoding.UTF8.GetBytes($"UNSUB {subscription.Sid}\r\n"), CancellationToken.None);
            }
            catch (Exception error) when (error is NatsException or IOException or SocketException)
            {
            }
        }

        subscription.Complete();
    }

    private static string SubLine(NatsSubscription subscription) =>
        subscription.QueueGroup is null
            ? $"SUB {subscription.Subject} {subscription.Sid}\r\n"
            : $"SUB {subscription.Subject} {subscription.QueueGroup} {subscription.Sid}\r\n";

    private static void CheckSubject(string subject)
    {
        if (subject.Length == 0 || subject.Any(c => char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"invalid NATS subject \"{subject}\"", nameof(subject));
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        while (true)
        {
            await ConnectedAsync(cancellationToken);
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                if (IsConnected)
                {
                    await _stream!.WriteAsync(frame, cancellationToken);
                    return;
                }
            }
            catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException)
            {
                // The read loop notices the loss and reconnects; this frame goes out on the new connection.
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }

    private Task ConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    private static int ParseInt(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static ServerInfo ParseInfo(string line) =>
        JsonSerializer.Deserialize(line.AsSpan(5), NatsJson.Default.ServerInfo) ?? throw new NatsException("protocol error: an empty INFO");
}
