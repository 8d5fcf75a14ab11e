using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Faas.Conventions;
using Faas.Gateway.Calls;
using Faas.Gateway.Http;
using Faas.Gateway.Metrics;
using Faas.Gateway.Security;
using Faas.Provider;
using Faas.Provider.Wire;
using Faas.Proxy;
using Faas.Proxy.FastPath;
using Faas.Proxy.Http1;
using Faas.Proxy.Upstream;

namespace Faas.Gateway.Invoke.FastPath;

/// <summary>
/// The gateway's side of one fast-path connection: an invocation is relayed to the function's least busy ready replica
/// (waiting for one after a scale from zero, see <see cref="ReplicaWait"/>), with the same headers both ways, metrics,
/// timeout, retry on another replica and failure answers as <see cref="InvokeRoute"/> gives on Kestrel's path.
/// </summary>
internal sealed class InvokeExchange(InvokeFastPath fastPath, FastPathConnection connection) : IFastPathExchange, IResponseHeaderSource
{
    private const string RetryAfter = "Retry-After: " + ReplicaWait.RetryAfterSeconds + "\r\n";

    private readonly InvokeRequest _request = new();
    private readonly byte[] _clientAddress = Encoding.ASCII.GetBytes((connection.Context.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "");
    private byte[] _functionName = [];
    private FunctionKey _function;
    private FunctionInvocations? _invocations;
    private ReplicaLoad? _replica;
    private string _callId = "";
    private string _startTime = "";
    private long _started;
    private TimeSpan? _coldStart;

    public FastPathRoute Parse(ReadOnlySpan<byte> input, out int length)
    {
        length = 0;
        if (InvocationTracing.Recording)
        {
            return FastPathRoute.Kestrel;
        }

        var route = InvokeRequestParser.Parse(input, _request, fastPath.MaxRequestBodySize, _clientAddress, out var function);
        if (route != FastPathRoute.Serve)
        {
            return route;
        }

        // Keep-alive connections mostly call one function: its key and metrics are looked up again only when it changes.
        if (!function.SequenceEqual(_functionName))
        {
            try
            {
                _function = FunctionRoute.Parse(Encoding.ASCII.GetString(function));
            }
            catch (ProviderException)
            {
                // Not a namespace: Kestrel's path answers the 400 that names it.
                return FastPathRoute.Kestrel;
            }

            _functionName = function.ToArray();
            _invocations = null;
        }

        _replica = fastPath.Routes.Pick(_function);
        length = _request.Length;
        return FastPathRoute.Serve;
    }

    // Pooled state, as the forwarder's: this and ForwardAsync complete asynchronously on every invocation.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ServeAsync()
    {
        _started = Stopwatch.GetTimestamp();
        _startTime = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _callId = _request.CallId ?? CallId.New();
        _coldStart = null;
        var deadline = connection.Deadline;

        // Without a ready replica, ask the provider: an unknown function is answered here, before any metric gets a
        // label for it (as on Kestrel's path).
        FunctionStatus? status = null;
        if (_replica is null)
        {
            try
            {
                status = await fastPath.Provider.GetAsync(_function.Name, _function.Namespace, deadline.Token);
            }
            catch (ProviderException error)
            {
                _request.Release();
                return await AnswerAsync(TypedErrors.StatusOf(error.Kind), error.Message, withCallId: false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        // Only a function that exists gets metrics, so invoking made-up names cannot grow their labels.
        var invocations = _invocations ??= fastPath.Metrics.Function(_function.ToString());
        invocations.Start();
        fastPath.Metrics.FastPathInvocations.Inc();
        var answered = StatusCodes.Status200OK;
        try
        {
            if (status is not null)
            {
                var (replica, waited, refusal) = await fastPath.ReplicaWait.ForAsync(_function, status, deadline.Token);
                if (refusal is not null)
                {
                    answered = StatusCodes.Status503ServiceUnavailable;
                    return await AnswerAsync(answered, refusal, withCallId: true, RetryAfter);
                }

                (_replica, _coldStart) = (replica, waited);
            }

            FunctionTimeouts.Limit timeout;
            try
            {
                timeout = InvokeRoute.Shortened(await fastPath.Timeouts.ForAsync(_function, deadline.Token), _request.Timeout);
            }
            catch (ProviderException error)
            {
                // Removed since its replica was picked: answered as Kestrel's path answers the provider's errors.
                answered = TypedErrors.StatusOf(error.Kind);
                return await AnswerAsync(answered, error.Message, withCallId: false);
            }

            deadline.Arm(timeout.Value + InvokeRoute.BackstopGrace);
            var first = _replica!;
            var outcome = await ForwardAsync(first, timeout);
            if (outcome.Result == ForwardResult.ConnectFailed && fastPath.Routes.Pick(_function, exclude: first.Endpoint) is { } other && other != first)
            {
                outcome = await ForwardAsync(other, timeout);
            }

            if (outcome.ResponseStarted)
            {
                answered = outcome.StatusCode;
                return outcome.Result == ForwardResult.Success;
            }

            if (connection.ClientGone)
            {
                return false;
            }

            var (failureStatus, message) = InvokeRoute.FailureOf(outcome.Result, _function, timeout.Value, fastPath.MaxRequestBodySize)
                ?? (StatusCodes.Status502BadGateway, $"a replica of {_function} failed to answer");
            answered = failureStatus;
            return await AnswerAsync(failureStatus, message, withCallId: true);
        }
        catch (OperationCanceledException) when (connection.ClientGone)
        {
            return false;
        }
        finally
        {
            deadline.Disarm();
            invocations.Finish(answered, _started);
            _request.Release();
        }
    }

    /// <summary>The headers written here (see <see cref="IResponseHeaderSource.WriteHeaders"/>), and a cookie of the dashboard's session's name (see <see cref="DashboardSessions.StripFrom(HttpResponse)"/>).</summary>
    bool IResponseHeaderSource.Drops(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Ascii.EqualsIgnoreCase(name, InvocationHeaders.CallIdBytes)
        || Ascii.EqualsIgnoreCase(name, InvocationHeaders.StartTimeBytes)
        || Ascii.EqualsIgnoreCase(name, InvocationHeaders.DurationSecondsBytes)
        || (_coldStart is not null && Ascii.EqualsIgnoreCase(name, InvocationHeaders.ColdStartSecondsBytes))
        || (Ascii.EqualsIgnoreCase(name, "Set-Cookie"u8) && DashboardSessions.SetsSessionCookie(value));

    void IResponseHeaderSource.WriteHeaders(HeadBuffer head)
    {
        head.Header(InvocationHeaders.CallIdBytes, _callId);
        head.Header(InvocationHeaders.StartTimeBytes, _startTime);
        Span<char> seconds = stackalloc char[SecondsText.MaxLength];
        head.Header(InvocationHeaders.DurationSecondsBytes, seconds[..SecondsText.Format(Stopwatch.GetElapsedTime(_started), seconds)]);
        if (_coldStart is { } waited)
        {
            head.Header(InvocationHeaders.ColdStartSecondsBytes, seconds[..SecondsText.Format(waited, seconds)]);
        }
        if (connection.CloseRequested)
        {
            head.Append("Connection: close\r\n"u8);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RelayOutcome> ForwardAsync(ReplicaLoad replica, FunctionTimeouts.Limit timeout)
    {
        using var lease = replica.Enter();
        var endpoint = replica.Endpoint;
        var upstream = _request.Upstream;
        upstream.Clear();
        upstream.Append(_request.RequestLine.WrittenSpan);
        var ipv6 = UpstreamHost.NeedsBrackets(endpoint.Host);
        upstream.Append(ipv6 ? "Host: ["u8 : "Host: "u8);
        upstream.AppendLatin1(endpoint.Host);
        upstream.Append(ipv6 ? "]:"u8 : ":"u8);
        upstream.AppendDecimal(endpoint.Port);
        upstream.Append("\r\n"u8);
        upstream.Append(_request.Fields.WrittenSpan);
        upstream.Header(InvocationHeaders.CallIdBytes, _callId);
        upstream.Header(InvocationHeaders.StartTimeBytes, _startTime);
        upstream.Header(InvocationHeaders.TimeoutBytes, timeout.Header);
        var body = _request.Body.WrittenSpan;
        if (!body.IsEmpty)
        {
            upstream.Header("Content-Length"u8, body.Length);
        }

        upstream.Append("\r\n"u8);
        upstream.Append(body);
        return await PipeForwarder.ForwardAsync(upstream.Written, fastPath.Client, endpoint.Host, endpoint.Port,
            connection.Output, connection.ResponseHead, this, connection.Deadline.Token);
    }

    /// <summary>A failure in the gateway's words (as <see cref="PlainTextError"/> writes it), with the call's id where Kestrel's path gives it; false if the client is gone.</summary>
    private ValueTask<bool> AnswerAsync(int status, string message, bool withCallId, string extraHeaders = "") =>
        connection.AnswerAsync(status, message, Encoding.ASCII.GetBytes((withCallId ? $"{InvocationHeaders.CallId}: {_callId}\r\n" : "") + extraHeaders));
}
