using System.Runtime.CompilerServices;
using System.Text;
using Faas.Conventions;
using Faas.Proxy;
using Faas.Proxy.FastPath;
using Faas.Proxy.Http1;
using Faas.Watchdog.Http;
using Faas.Watchdog.Server;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.FastPath;

/// <summary>The watchdog's side of one fast-path connection: its requests parsed, answered by the shared <see cref="RequestPolicy"/>, invocations relayed to the function.</summary>
internal sealed class WatchdogExchange(HttpModeFastPath fastPath, FastPathConnection connection) : IFastPathExchange, IResponseHeaderSource
{
    private static readonly byte[] FromWatchdog = System.Text.Encoding.ASCII.GetBytes($"{PlainText.InternalHeader}: watchdog\r\n");
    private static readonly byte[] FromMiddleware = System.Text.Encoding.ASCII.GetBytes($"{PlainText.InternalHeader}: faas-middleware\r\n");

    private readonly FastPathRequest _request = new();
    private RequestRoute _route;
    private long _invocationStart;

    public FastPathRoute Parse(ReadOnlySpan<byte> input, out int length)
    {
        _route = fastPath.Parser.Parse(input, _request);
        length = _request.Length;
        return _route switch
        {
            RequestRoute.Kestrel => FastPathRoute.Kestrel,
            RequestRoute.Incomplete => FastPathRoute.Incomplete,
            _ => FastPathRoute.Serve,
        };
    }

    public ValueTask<bool> ServeAsync() => _route switch
    {
        RequestRoute.Health => AnswerAsync(fastPath.Policy.Health(_request.Method)),
        RequestRoute.Ready => AnswerAsync(fastPath.Policy.Ready()),
        _ => InvokeAsync(),
    };

    bool IResponseHeaderSource.Drops(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Ascii.EqualsIgnoreCase(name, InvocationHeaders.DurationSecondsBytes);

    void IResponseHeaderSource.WriteHeaders(HeadBuffer head)
    {
        Span<char> duration = stackalloc char[SecondsText.MaxLength];
        head.Header(InvocationHeaders.DurationSecondsBytes, duration[..DurationHeader.Format(_invocationStart, duration)]);
        if (connection.CloseRequested)
        {
            head.Append("Connection: close\r\n"u8);
        }
    }

    // Pooled state, as the forwarder's: an invocation completes asynchronously every time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> InvokeAsync()
    {
        var policy = fastPath.Policy;
        if (policy.Admit(_request.Method, _request.Timeout, out _invocationStart) is { } refused)
        {
            return await AnswerAsync(refused);
        }

        var outcome = new RelayOutcome(ForwardResult.Aborted, 0, false, null);
        var status = StatusCodes.Status200OK;
        var deadline = connection.Deadline;
        deadline.Arm(policy.Limit(_request.Timeout));
        try
        {
            var mode = fastPath.Mode;
            outcome = await PipeForwarder.ForwardAsync(_request.Upstream.Written, mode.Client, mode.UpstreamHost, mode.UpstreamPort,
                connection.Output, connection.ResponseHead, this, deadline.Token);
            if (outcome.ResponseStarted)
            {
                status = outcome.StatusCode;
            }

            if (connection.ClientGone)
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

            // A large request's buffer goes with it: thousands of idle keep-alive connections must not each keep 64 KiB.
            _request.Upstream.Release();
        }
    }

    /// <summary>The watchdog's own short answer (see <see cref="PlainText"/>); false if the client is gone.</summary>
    private ValueTask<bool> AnswerAsync(RequestPolicy.Answer answer) => connection.AnswerAsync(answer.Status, answer.Message, answer.Source switch
    {
        RequestPolicy.WatchdogSource => FromWatchdog,
        RequestPolicy.LimiterSource => FromMiddleware,
        _ => [],
    });
}
