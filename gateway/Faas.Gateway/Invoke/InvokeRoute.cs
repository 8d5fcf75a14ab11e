using System.Diagnostics;
using System.Globalization;
using Faas.Conventions;
using Faas.Gateway.Calls;
using Faas.Gateway.Configuration;
using Faas.Gateway.Http;
using Faas.Gateway.Invoke.Forwarding;
using Faas.Gateway.Metrics;
using Faas.Gateway.Security;
using Faas.Provider;
using Faas.Provider.Timeouts;
using Faas.Provider.Wire;
using Faas.Proxy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;


namespace Faas.Gateway.Invoke;

/// <summary>
/// <c>/function/NAME[.NAMESPACE]/PATH</c>, any method: forwarded to the least busy ready replica through the shared
/// streaming forwarder, the rest of the path and the query kept byte for byte. A function without a ready replica
/// is scaled up from zero while the request waits. A connection refused by one replica is retried once on another.
/// Errors are one line naming the function and the cause: 404 unknown, 413 body too large, 503 no ready replica
/// (with Retry-After), 502 replica failed, 504 timed out.
/// </summary>
internal sealed class InvokeRoute(
    RoutingTable routes,
    ReplicaWait replicaWait,
    FunctionTimeouts timeouts,
    IFunctionProvider provider,
    IReplicaForwarder forwarder,
    GatewayMetrics metrics,
    IOptions<GatewayOptions> options)
{
    /// <summary>The gateway's own deadline trails the function's so the watchdog, which can kill the process cleanly, answers first.</summary>
    public static readonly TimeSpan BackstopGrace = TimeSpan.FromSeconds(1);

    private static readonly ForwardOptions Forwarding = new()
    {
        AddRequestHeaders = ForwardedHeaders,
        OnResponseStarting = static context =>
        {
            var invocation = Invocation.Of(context);
            var headers = context.Response.Headers;
            headers[InvocationHeaders.CallId] = invocation.CallId;
            headers[InvocationHeaders.StartTime] = invocation.StartTime;
            headers[InvocationHeaders.DurationSeconds] = SecondsText.Format(Stopwatch.GetElapsedTime(invocation.Started));
            if (invocation.ColdStart is { } waited)
            {
                headers[InvocationHeaders.ColdStartSeconds] = SecondsText.Format(waited);
            }

            DashboardSessions.StripFrom(context.Response);
        },
    };

    /// <summary>
    /// <c>/function/NAME[/...]</c> without endpoint routing: invocations are the hot path, so they are matched by a
    /// plain prefix test ahead of the router.
    /// </summary>
    public static bool TryMatch(PathString path, out string function)
    {
        function = "";
        if (!path.StartsWithSegments("/function", StringComparison.Ordinal, out var rest) || !rest.HasValue || rest.Value!.Length < 2)
        {
            return false;
        }

        var value = rest.Value;
        var end = value.IndexOf('/', 1);
        function = end < 0 ? value[1..] : value[1..end];
        return function.Length > 0;
    }

    public async Task InvokeAsync(HttpContext context, string function)
    {
        var key = FunctionRoute.Parse(function);
        var invocation = new Invocation
        {
            Function = key,
            CallId = context.Request.Headers[InvocationHeaders.CallId] is { Count: > 0 } given ? given.ToString() : CallId.New(),
            StartTime = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000).ToString(CultureInfo.InvariantCulture),
            Started = Stopwatch.GetTimestamp(),
        };
        invocation.AttachTo(context);

        // Without a ready replica, ask the provider: an unknown function is 404 here (a ProviderException), before
        // any metric gets a label for it.
        var replica = routes.Pick(key);
        var status = replica is null ? await provider.GetAsync(key.Name, key.Namespace, context.RequestAborted) : null;

        using var span = InvocationTracing.Start(context, key);
        invocation.TraceParent = InvocationTracing.TraceParentFor(context, span);
        var invocations = metrics.Function(key.ToString());
        invocations.Start();
        try
        {
            if (ExceedsBodyLimit(context))
            {
                await FailAsync(context, StatusCodes.Status413PayloadTooLarge, $"the request body for {key} is over the limit of {options.Value.MaxRequestBodySize} bytes");
                return;
            }

            if (BadHeader(context.Request.Headers) is { } problem)
            {
                await FailAsync(context, StatusCodes.Status400BadRequest, problem);
                return;
            }

            replica ??= await WaitForReplicaAsync(context, invocation, status!);
            if (replica is not null)
            {
                invocation.Timeout = await TimeoutForAsync(context, key);
                await ForwardAsync(context, function, invocation, replica);
            }
        }
        finally
        {
            invocations.Finish(context.Response.StatusCode, invocation.Started);
            InvocationTracing.Finish(span, context, invocation);
        }
    }

    /// <summary>A declared length over the limit is refused before anything is sent; a chunked body is cut off when it passes it.</summary>
    private bool ExceedsBodyLimit(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodySize;
        if (limit is null)
        {
            return false;
        }

        if (context.Request.ContentLength > limit)
        {
            return true;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        return false;
    }

    /// <summary>Waits for a ready replica (scaling the function up from zero); null once the request has been answered 503.</summary>
    private async Task<ReplicaLoad?> WaitForReplicaAsync(HttpContext context, Invocation invocation, FunctionStatus status)
    {
        var (replica, waited, refusal) = await replicaWait.ForAsync(invocation.Function, status, context.RequestAborted);
        if (refusal is not null)
        {
            await FailAsync(context, StatusCodes.Status503ServiceUnavailable, refusal, ReplicaWait.RetryAfterSeconds);
            return null;
        }

        invocation.ColdStart = waited;
        return replica;
    }

    /// <summary>Why the caller's <c>X-Timeout</c> or <c>X-Call-Id</c> cannot be used, or null (most requests carry neither).</summary>
    private static string? BadHeader(IHeaderDictionary headers) =>
        (headers[InvocationHeaders.Timeout] is { Count: > 0 } timeout ? RequestTimeout.Check(timeout.ToString()) : null)
        ?? (headers[InvocationHeaders.CallId] is { Count: > 0 } callId ? CallId.Check(callId.ToString()) : null);

    /// <summary>The function's timeout, or less if the caller asked for less with <c>X-Timeout</c>.</summary>
    private async ValueTask<FunctionTimeouts.Limit> TimeoutForAsync(HttpContext context, FunctionKey key)
    {
        var asked = context.Request.Headers[InvocationHeaders.Timeout];
        return Shortened(await timeouts.ForAsync(key, context.RequestAborted), asked.Count == 1 ? asked[0] : null);
    }

    /// <summary><paramref name="timeout"/>, or the caller's <c>X-Timeout</c> (<paramref name="asked"/>) when that is shorter.</summary>
    public static FunctionTimeouts.Limit Shortened(FunctionTimeouts.Limit timeout, string? asked) =>
        asked is not null && Duration.TryParse(asked, out var shorter) && shorter > TimeSpan.Zero && shorter < timeout.Value
            ? FunctionTimeouts.Limit.Of(shorter)
            : timeout;

    /// <summary>The answer to a forward that failed before its response started; null when it succeeded or the client left.</summary>
    public static (int Status, string Message)? FailureOf(ForwardResult result, FunctionKey key, TimeSpan timeout, long? maxRequestBodySize) => result switch
    {
        ForwardResult.ConnectFailed => (StatusCodes.Status502BadGateway, $"cannot connect to a replica of {key}"),
        ForwardResult.UpstreamFailed => (StatusCodes.Status502BadGateway, $"a replica of {key} failed to answer"),
        ForwardResult.Timeout => (StatusCodes.Status504GatewayTimeout, $"{key} did not answer within {timeout.TotalSeconds:0.###}s"),
        ForwardResult.RequestTooLarge => (StatusCodes.Status413PayloadTooLarge, $"the request body for {key} is over the limit of {maxRequestBodySize} bytes"),
        _ => null,
    };

    private async Task ForwardAsync(HttpContext context, string function, Invocation invocation, ReplicaLoad replica)
    {
        using var deadline = RequestDeadline.Start(invocation.Timeout.Value + BackstopGrace, context.RequestAborted);
        var target = FunctionRoute.Rest(context, "/function/" + function);
        var result = await ForwardToAsync(context, replica, target, deadline.Token);
        if (result == ForwardResult.ConnectFailed && routes.Pick(invocation.Function, exclude: replica.Endpoint) is { } other && other != replica)
        {
            result = await ForwardToAsync(context, other, target, deadline.Token);
        }

        if (FailureOf(result, invocation.Function, invocation.Timeout.Value, options.Value.MaxRequestBodySize) is var (status, message))
        {
            await FailAsync(context, status, message);
        }
    }

    private async Task<ForwardResult> ForwardToAsync(HttpContext context, ReplicaLoad replica, string target, CancellationToken cancellationToken)
    {
        using var lease = replica.Enter();
        var endpoint = replica.Endpoint;
        return await forwarder.ForwardAsync(context, new UpstreamTarget(endpoint.Host, endpoint.Port, target), Forwarding, cancellationToken);
    }

    private static IReadOnlyList<KeyValuePair<string, string>> ForwardedHeaders(HttpContext context)
    {
        var request = context.Request;
        var invocation = Invocation.Of(context);
        return
        [
            new(InvocationHeaders.CallId, invocation.CallId),
            new(InvocationHeaders.StartTime, invocation.StartTime),
            new(InvocationHeaders.Timeout, invocation.Timeout.Header),
            new("traceparent", invocation.TraceParent),
            new("X-Forwarded-For", request.Headers["X-Forwarded-For"] is { Count: > 0 } chain
                ? $"{chain}, {context.Connection.RemoteIpAddress}" : context.Connection.RemoteIpAddress?.ToString() ?? ""),
            new("X-Forwarded-Host", request.Headers["X-Forwarded-Host"] is { Count: > 0 } host ? host.ToString() : request.Host.ToString()),
            new("X-Forwarded-Proto", request.Scheme),
        ];
    }

    private static async Task FailAsync(HttpContext context, int status, string message, string? retryAfter = null)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.Headers[InvocationHeaders.CallId] = Invocation.Of(context).CallId;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await PlainTextError.WriteAsync(context, status, message);
    }
}
