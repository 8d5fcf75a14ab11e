using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Faas.Conventions;
using Faas.Proxy;
using Faas.Proxy.Http1;
using Faas.Watchdog.Http;
using Faas.Watchdog.Modes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.FastPath;

/// <summary>
/// One client connection on the fast path: reads requests off its pipe and serves them in order until the client
/// leaves, it idles out, the watchdog stops, or a request needs Kestrel.
/// </summary>
internal sealed class FastPathConnection(HttpModeFastPath fastPath, ConnectionContext connection) : IResponseHeaderSource
{
    private static readonly byte[] FromWatchdog = System.Text.Encoding.ASCII.GetBytes($"{PlainText.InternalHeader}: watchdog\r\n");
    private static readonly byte[] FromMiddleware = System.Text.Encoding.ASCII.GetBytes($"{PlainText.InternalHeader}: faas-middleware\r\n");

    private readonly FastPathRequest _request = new();
    private readonly HeadBuffer _responseHead = new();
    private byte[]? _gathered;
    private ConnectionDeadline? _deadline;
    private long _invocationStart;
    private volatile bool _closeRequested;

    public async Task RunAsync(ConnectionDelegate kestrel)
    {
        if (await ServeUntilHandoverAsync())
        {
            await kestrel(connection);
        }
    }

    /// <summary>True when a request needs Kestrel: the connection's unread bytes are left for it, and nothing here watches the connection any more.</summary>
    private async Task<bool> ServeUntilHandoverAsync()
    {
        var input = connection.Transport.Input;
        using var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .UnsafeRegister(static state => ((FastPathConnection)state!).OnCloseRequested(), this);
        using var keepAlive = fastPath.KeepAlive.Track(input);
        using var deadline = _deadline = new ConnectionDeadline(connection.ConnectionClosed);
        while (true)
        {
            keepAlive.Idle();
            var read = await input.ReadAsync();
            keepAlive.Busy();
            var buffer = read.Buffer;
            RequestRoute route;
            while (true)
            {
                if (read.IsCanceled || _closeRequested || (read.IsCompleted && buffer.IsEmpty))
                {
                    input.AdvanceTo(buffer.Start);
                    return false;
                }

                route = read.IsCompleted ? RequestRoute.Kestrel : fastPath.Parser.Parse(Contiguous(buffer), _request);
                if (route != RequestRoute.Incomplete)
                {
                    break;
                }

                // The head is here and the body is small: wait for the rest of it (Kestrel sets no body rate either).
                input.AdvanceTo(buffer.Start, buffer.End);
                read = await input.ReadAsync();
                buffer = read.Buffer;
            }

            if (route == RequestRoute.Kestrel)
            {
                input.AdvanceTo(buffer.Start);
                return true;
            }

            input.AdvanceTo(buffer.GetPosition(_request.Length));
            if (!await ServeAsync(route))
            {
                connection.Abort();
                return false;
            }
        }
    }

    bool IResponseHeaderSource.Replaces(string name) => name.Equals(DurationHeader.Name, StringComparison.OrdinalIgnoreCase);

    void IResponseHeaderSource.WriteHeaders(HeadBuffer head)
    {
        Span<char> duration = stackalloc char[32];
        head.Header("X-Duration-Seconds"u8, duration[..DurationHeader.Format(_invocationStart, duration)]);
        if (_closeRequested)
        {
            head.Append("Connection: close\r\n"u8);
        }
    }

    private void OnCloseRequested()
    {
        _closeRequested = true;
        connection.Transport.Input.CancelPendingRead();
    }

    /// <summary>The buffered bytes as one span: a request that straddles the pipe's segments is gathered into a buffer of the connection's own.</summary>
    private ReadOnlySpan<byte> Contiguous(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            return buffer.FirstSpan;
        }

        var length = (int)Math.Min(buffer.Length, FastPathRequestParser.MaxRequestSize);
        if (_gathered is null || _gathered.Length < length)
        {
            _gathered = new byte[Math.Max(length, 8 * 1024)];
        }

        buffer.Slice(0, length).CopyTo(_gathered);
        return _gathered.AsSpan(0, length);
    }

    /// <summary>False when the connection must be aborted (the client left, or a response broke after it started).</summary>
    private async ValueTask<bool> ServeAsync(RequestRoute route)
    {
        var health = fastPath.Health;
        switch (route)
        {
            case RequestRoute.Health when _request.Method != HttpMethods.Get:
                return await AnswerAsync(StatusCodes.Status405MethodNotAllowed, "method not allowed", []);
            case RequestRoute.Health:
                return health.IsHealthy
                    ? await AnswerAsync(StatusCodes.Status200OK, "OK", [])
                    : await AnswerAsync(StatusCodes.Status503ServiceUnavailable, "not ready", []);
            case RequestRoute.Ready:
                return !health.IsHealthy ? await AnswerAsync(StatusCodes.Status503ServiceUnavailable, "not ready", [])
                    : fastPath.Limiter.IsSaturated ? await AnswerAsync(StatusCodes.Status429TooManyRequests, "at max_inflight", [])
                    : await AnswerAsync(StatusCodes.Status200OK, "OK", []);
            default:
                return await InvokeAsync();
        }
    }

    private async ValueTask<bool> InvokeAsync()
    {
        var limiter = fastPath.Limiter;
        var metrics = fastPath.Metrics;
        if (RequestTimeout.Check(_request.Timeout) is { } problem)
        {
            metrics.Record(StatusCodes.Status400BadRequest, _request.Method, 0);
            return await AnswerAsync(StatusCodes.Status400BadRequest, problem, FromWatchdog);
        }

        if (!limiter.TryEnter())
        {
            metrics.Record(StatusCodes.Status429TooManyRequests, _request.Method, 0);
            return await AnswerAsync(StatusCodes.Status429TooManyRequests, $"Concurrent request limit exceeded. Max concurrent requests: {limiter.Limit}", FromMiddleware);
        }

        _invocationStart = Stopwatch.GetTimestamp();
        metrics.InFlight.Inc();
        var outcome = new RelayOutcome(ForwardResult.Aborted, 0, false, null);
        var status = StatusCodes.Status200OK;
        var deadline = _deadline!;
        deadline.Arm(InvocationDeadline.Limit(_request.Timeout, fastPath.Config));
        try
        {
            var mode = fastPath.Mode;
            outcome = await PipeForwarder.ForwardAsync(_request.Upstream.Written, mode.Client, mode.UpstreamHost, mode.UpstreamPort,
                connection.Transport.Output, _responseHead, this, deadline.Token);
            if (outcome.ResponseStarted)
            {
                status = outcome.StatusCode;
            }

            if (connection.ConnectionClosed.IsCancellationRequested)
            {
                return false;
            }

            if (!outcome.ResponseStarted && mode.FailureAnswer(outcome.Result, deadline.Expired, deadline.Limit) is var (failureStatus, message))
            {
                status = failureStatus;
                return await AnswerAsync(failureStatus, message, FromWatchdog);
            }

            return outcome.Result == ForwardResult.Success;
        }
        catch (Exception error) when (!outcome.ResponseStarted && error is not OperationCanceledException)
        {
            fastPath.Log.Info($"invocation failed: {error.GetType().Name}: {error.Message}");
            status = StatusCodes.Status500InternalServerError;
            return await AnswerAsync(status, "the watchdog could not run the function", FromWatchdog);
        }
        finally
        {
            deadline.Disarm();
            limiter.Exit();
            metrics.InFlight.Dec();
            var seconds = Stopwatch.GetElapsedTime(_invocationStart).TotalSeconds;
            metrics.Record(status, _request.Method, seconds);
            if (fastPath.Config.LogRequests)
            {
                var length = outcome.ContentLength?.ToString(CultureInfo.InvariantCulture) ?? "-";
                fastPath.Log.Info($"{_request.Method} {_request.Target} - {status} - ContentLength: {length} ({seconds:0.0000}s)");
            }
        }
    }

    /// <summary>The watchdog's own short answer (see <see cref="PlainText"/>); false if the client is gone.</summary>
    private async ValueTask<bool> AnswerAsync(int statusCode, string message, byte[] sourceHeader)
    {
        PlainResponse.Write(connection.Transport.Output, _responseHead, statusCode, message, sourceHeader);
        var flushed = await connection.Transport.Output.FlushAsync();
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }
}
