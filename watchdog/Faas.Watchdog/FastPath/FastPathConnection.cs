using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Faas.Proxy;
using Faas.Proxy.Http1;
using Faas.Watchdog.Http;
using Faas.Watchdog.Server;
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
    private ValueTask<bool> ServeAsync(RequestRoute route) => route switch
    {
        RequestRoute.Health => AnswerAsync(fastPath.Policy.Health(_request.Method)),
        RequestRoute.Ready => AnswerAsync(fastPath.Policy.Ready()),
        _ => InvokeAsync(),
    };

    private async ValueTask<bool> InvokeAsync()
    {
        var policy = fastPath.Policy;
        if (policy.Admit(_request.Method, _request.Timeout, out _invocationStart) is { } refused)
        {
            return await AnswerAsync(refused);
        }

        var outcome = new RelayOutcome(ForwardResult.Aborted, 0, false, null);
        var status = StatusCodes.Status200OK;
        var deadline = _deadline!;
        deadline.Arm(policy.Limit(_request.Timeout));
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
                return await AnswerAsync(new RequestPolicy.Answer(failureStatus, message, RequestPolicy.WatchdogSource));
            }

            return outcome.Result == ForwardResult.Success;
        }
        catch (Exception error) when (!outcome.ResponseStarted && error is not OperationCanceledException)
        {
            var failed = policy.Failed(error);
            status = failed.Status;
            return await AnswerAsync(failed);
        }
        finally
        {
            deadline.Disarm();
            policy.Finish(_invocationStart, status, _request.Method, _request.Target ?? "", outcome.ContentLength);
        }
    }

    /// <summary>The watchdog's own short answer (see <see cref="PlainText"/>); false if the client is gone.</summary>
    private async ValueTask<bool> AnswerAsync(RequestPolicy.Answer answer)
    {
        var source = answer.Source switch
        {
            RequestPolicy.WatchdogSource => FromWatchdog,
            RequestPolicy.LimiterSource => FromMiddleware,
            _ => [],
        };
        PlainResponse.Write(connection.Transport.Output, _responseHead, answer.Status, answer.Message, source);
        var flushed = await connection.Transport.Output.FlushAsync();
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }
}
