using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Faas.Nats.Protocol;

namespace Faas.Nats;

/// <summary>Connecting, the read loop and reconnection.</summary>
public sealed partial class NatsConnection
{
    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        var reader = await HandshakeAsync(cancellationToken);
        await SendSubscriptionsAsync(cancellationToken);

        _connected.TrySetResult();
        _readLoop = Task.Run(() => ReadLoopAsync(reader));
    }

    /// <summary>TCP connect, INFO, CONNECT, then PING/PONG to learn whether the server accepted us.</summary>
    private async Task<FrameReader> HandshakeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_url.Host, _url.Port > 0 ? _url.Port : 4222, timeout.Token);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var reader = new FrameReader(stream);
            var info = await reader.ReadLineAsync(timeout.Token);
            if (info is null || !info.StartsWith("INFO ", StringComparison.Ordinal))
            {
                throw new NatsException($"{_url.Host}:{_url.Port} did not greet with INFO: {info}");
            }

            Info = ParseInfo(info);
            var connect = JsonSerializer.Serialize(ConnectOptionsFor(), NatsJson.Default.ConnectOptions);
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"CONNECT {connect}\r\nPING\r\n"), timeout.Token);
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == "PONG")
                {
                    _socket = socket;
                    _stream = stream;
                    return reader;
                }

                if (line.StartsWith("-ERR", StringComparison.Ordinal))
                {
                    throw new NatsException($"the server refused the connection: {line[4..].Trim().Trim('\'')}");
                }
            }

            throw new NatsException("the server closed the connection during the handshake");
        }
        catch (Exception error) when (error is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new NatsException($"cannot connect to NATS at {_url.Host}:{_url.Port}: {error.Message}", error);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private ConnectOptions ConnectOptionsFor()
    {
        var userInfo = Uri.UnescapeDataString(_url.UserInfo);
        var (user, password, token) = (_options.User, _options.Password, _options.Token);
        if (userInfo.Length > 0 && user is null && token is null)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            (user, password, token) = colon < 0 ? ((string?)null, (string?)null, (string?)userInfo) : (userInfo[..colon], userInfo[(colon + 1)..], null);
        }

        return new ConnectOptions { Name = _options.Name, User = user, Pass = password, AuthToken = token };
    }

    private async Task SendSubscriptionsAsync(CancellationToken cancellationToken)
    {
        var lines = new StringBuilder($"SUB {_inbox}.* 0\r\n");
        foreach (var subscription in _subscriptions.Values)
        {
            lines.Append(SubLine(subscription));
        }

        await _stream!.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()), cancellationToken);
    }

    private async Task ReadLoopAsync(FrameReader reader)
    {
        while (!_disposed.IsCancellationRequested)
        {
            try
            {
                await ReadFramesAsync(reader);
            }
            catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException or NatsException or OperationCanceledException or EndOfStreamException)
            {
            }

            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            reader = await ReconnectAsync();
        }
    }

    private async Task ReadFramesAsync(FrameReader reader)
    {
        var token = _disposed.Token;
        while (await reader.ReadLineAsync(token) is { } line)
        {
            if (line.StartsWith("MSG ", StringComparison.Ordinal) || line.StartsWith("HMSG ", StringComparison.Ordinal))
            {
                var withHeaders = line[0] == 'H';
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var counts = withHeaders ? 2 : 1;
                var replyTo = parts.Length == 3 + counts + 1 ? parts[3] : null;
                var total = ParseInt(parts[^1]);
                var headerSize = withHeaders ? ParseInt(parts[^2]) : 0;
                var payload = await reader.ReadPayloadAsync(total, token);
                var headers = withHeaders ? NatsHeaders.Parse(payload.AsSpan(0, headerSize)) : null;
                Dispatch(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), new NatsMessage(parts[1], replyTo, headers, payload.AsMemory(headerSize)));
            }
            else if (line == "PING")
            {
                _ = WriteAsync("PONG\r\n"u8.ToArray(), token);
            }
            else if (line == "PONG")
            {
                if (_pongs.TryDequeue(out var pong))
                {
                    pong.TrySetResult();
                }
            }
            else if (line.StartsWith("-ERR", StringComparison.Ordinal))
            {
                LastError = line[4..].Trim().Trim('\'');
            }
            else if (line.StartsWith("INFO ", StringComparison.Ordinal))
            {
                Info = ParseInfo(line);
            }
        }
    }

    private void Dispatch(long sid, NatsMessage message)
    {
        if (sid == 0)
        {
            if (_requests.TryRemove(message.Subject, out var reply))
            {
                reply.TrySetResult(message);
            }
        }
        else if (_subscriptions.TryGetValue(sid, out var subscription))
        {
            subscription.Deliver(message);
        }
    }

    /// <summary>Until connected again or disposed: backoff doubling to the maximum, then every subscription again.</summary>
    private async Task<FrameReader> ReconnectAsync()
    {
        _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _socket?.Dispose();
        while (_pongs.TryDequeue(out var pong))
        {
            pong.TrySetException(new NatsException("the connection was lost"));
        }

        var delay = _options.ReconnectDelay;
        while (true)
        {
            await Task.Delay(delay, _disposed.Token);
            try
            {
                var reader = await HandshakeAsync(_disposed.Token);
                await SendSubscriptionsAsync(_disposed.Token);
                Reconnects++;
                _connected.TrySetResult();
                return reader;
            }
            catch (NatsException)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }
}
