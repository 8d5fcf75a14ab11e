using System.Diagnostics;
using System.Net;
using System.Text;
using Faas.Gateway.Calls;
using Faas.Gateway.Http;
using Faas.Gateway.Metrics;
using Faas.Provider;
using Faas.Proxy;
using Faas.Proxy.FastPath;
using Faas.Proxy.Http1;

namespace Faas.Gateway.Invoke.FastPath;

/// <summary>
/// The gateway's side of one fast-path connection: an invocation of a function with a ready replica is relayed to the
/// least busy one, with the same headers both ways, metrics, timeout, retry on another replica and failure answers as
/// <see cref="InvokeRoute"/> gives on Kestrel's path.
/// </summary>
internal sealed class InvokeExchange(InvokeFastPath fastPath, FastPathConnection connection) : IFastPathExchange, IResponseHeaderSource
{
    private readonly InvokeRequest _request = new();
    private readonly byte[] _clientAddress = Encoding.ASCII.GetBytes((connection.Context.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "");
    private byte[] _functionName = [];
    private FunctionKey _function;
    private FunctionInvocations? _invocations;
    private ReplicaLoad? _replica;
    private string _callId = "";
    private string _startTime = "";
    private long _started;

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
            _functionName = function.ToArray();
            _function = FunctionRoute.Parse(Encoding.ASCII.GetString(function));
            _invocations = null;
        }

        // Without a ready replica Kestrel's path scales the function up, or says why not. Only a function that exists
        // gets metrics, so invoking made-up names cannot grow their labels.
        _replica = fastPath.Routes.Pick(_function);
        if (_replica is null)
        {
            return FastPathRoute.Kestrel;
        }

        _invocations ??= fastPath.Metrics.Function(_function.ToString());
        length = _request.Length;
        return FastPathRoute.Serve;
    }

    public async ValueTask<bool> ServeAsync()
    {
        _started = Stopwatch.GetTimestamp();
        _startTime = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _callId = _request.CallId ?? CallId.New();
        var invocations = _invocations!;
        invocations.Start();
        fastPath.Metrics.FastPathInvocations.Inc();
        var status = StatusCodes.Status200OK;
        var deadline = connection.Deadline;
        try
        {
            FunctionTimeouts.Limit timeout;
            try
            {
                timeout = InvokeRoute.Shortened(await fastPath.Timeouts.ForAsync(_function, deadline.Token), _request.Timeout);
            }
            catch (ProviderException error)
            {
                // Removed since its replica was picked: answered as Kestrel's path answers the provider's errors.
                status = TypedErrors.StatusOf(error.Kind);
                return await AnswerAsync(status, error.Message);
            }

            deadline.Arm(timeout.Value + InvokeRoute.BackstopGrace);
            var replica = _replica!;
            var outcome = await ForwardAsync(replica, timeout);
            if (outcome.Result == ForwardResult.ConnectFailed && fastPath.Routes.Pick(_function, exclude: replica.Endpoint) is { } other && other != replica)
            {
                outcome = await ForwardAsync(other, timeout);
            }

            if (outcome.ResponseStarted)
            {
                status = outcome.StatusCode;
                return outcome.Result == ForwardResult.Success;
            }

            if (connection.ClientGone)
            {
                return false;
            }

            var (failureStatus, message) = InvokeRoute.FailureOf(outcome.Result, _function, timeout.Value, fastPath.MaxRequestBodySize)
                ?? (StatusCodes.Status502BadGateway, $"a replica of {_function} failed to answer");
            status = failureStatus;
            return await AnswerAsync(failureStatus, message);
        }
        finally
        {
            deadline.Disarm();
            invocations.Finish(status, _started);
        }
    }

    bool IResponseHeaderSource.Replaces(string name) =>
        name.Equals(CallId.Header, StringComparison.OrdinalIgnoreCase) || name.Equals("X-Start-Time", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Duration-Seconds", StringComparison.OrdinalIgnoreCase);

    void IResponseHeaderSource.WriteHeaders(HeadBuffer head)
    {
        head.Header("X-Call-Id"u8, _callId);
        head.Header("X-Start-Time"u8, _startTime);
        head.Header("X-Duration-Seconds"u8, InvokeRoute.Seconds(Stopwatch.GetElapsedTime(_started)));
        if (connection.CloseRequested)
        {
            head.Append("Connection: close\r\n"u8);
        }
    }

    private async ValueTask<RelayOutcome> ForwardAsync(ReplicaLoad replica, FunctionTimeouts.Limit timeout)
    {
        using var lease = replica.Enter();
        var endpoint = replica.Endpoint;
        var upstream = _request.Upstream;
        upstream.Clear();
        upstream.Append(_request.RequestLine.WrittenSpan);
        var ipv6 = endpoint.Host.Contains(':', StringComparison.Ordinal) && !endpoint.Host.StartsWith('[');
        upstream.Append(ipv6 ? "Host: ["u8 : "Host: "u8);
        upstream.AppendLatin1(endpoint.Host);
        upstream.Append(ipv6 ? "]:"u8 : ":"u8);
        upstream.AppendDecimal(endpoint.Port);
        upstream.Append("\r\n"u8);
        upstream.Append(_request.Fields.WrittenSpan);
        upstream.Header("X-Call-Id"u8, _callId);
        upstream.Header("X-Start-Time"u8, _startTime);
        upstream.Header("X-Timeout"u8, timeout.Header);
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

    /// <summary>A failure in the gateway's words (as <see cref="PlainTextError"/> writes it), with the call's id; false if the client is gone.</summary>
    private ValueTask<bool> AnswerAsync(int status, string message) =>
        connection.AnswerAsync(status, message, Encoding.ASCII.GetBytes($"X-Call-Id: {_callId}\r\n"));
}
