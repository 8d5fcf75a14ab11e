using System.Diagnostics;
using System.Globalization;
using Faas.Gateway.Configuration;
using Faas.Gateway.Metrics;
using Faas.Provider;
using Faas.Provider.Validation;
using Faas.Proxy;
using Faas.Proxy.Upstream;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Invoke;

/// <summary>
/// <c>/function/NAME[.NAMESPACE]/PATH</c>, any method: forwarded to a ready replica through the shared streaming
/// forwarder, the rest of the path and the query kept byte for byte. A connection refused by one replica is
/// retried once on another. Errors are one line naming the function and the cause: 404 unknown function,
/// 503 no ready replica, 502 replica failed, 504 timed out.
/// </summary>
public sealed class InvokeRoute(RoutingTable routes, IFunctionProvider provider, UpstreamClient client, GatewayMetrics metrics, IOptions<GatewayOptions> options)
{
    private static readonly ForwardOptions Forwarding = new()
    {
        AddRequestHeaders = ForwardedHeaders,
        OnResponseStarting = static context =>
        {
            var started = (long)context.Items[StartKey]!;
            context.Response.Headers["X-Call-Id"] = (string)context.Items[CallIdKey]!;
            context.Response.Headers["X-Start-Time"] = context.Items[StartTimeKey]!.ToString();
            context.Response.Headers["X-Duration-Seconds"] = Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("F6", CultureInfo.InvariantCulture);
        },
    };

    private const string StartKey = "faas.start";
    private const string CallIdKey = "faas.call-id";
    private const string StartTimeKey = "faas.start-time";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.Map("/function/{function}", (HttpContext context, string function, InvokeRoute route) => route.InvokeAsync(context, function));
        app.Map("/function/{function}/{**rest}", (HttpContext context, string function, InvokeRoute route) => route.InvokeAsync(context, function));
    }

    public async Task InvokeAsync(HttpContext context, string function)
    {
        var key = ParseFunction(function);
        context.Items[StartKey] = Stopwatch.GetTimestamp();
        context.Items[CallIdKey] = context.Request.Headers["X-Call-Id"] is { Count: > 0 } given ? given.ToString() : Guid.NewGuid().ToString();
        context.Items[StartTimeKey] = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000).ToString(CultureInfo.InvariantCulture);

        var replica = routes.Pick(key);
        if (replica is null)
        {
            await provider.GetAsync(key.Name, key.Namespace, context.RequestAborted);
            await FailAsync(context, StatusCodes.Status503ServiceUnavailable, $"no ready replicas of {key}");
            return;
        }

        var label = key.ToString();
        metrics.Started.WithLabels(label).Inc();
        var inFlight = metrics.InFlight.WithLabels(label);
        inFlight.Inc();
        try
        {
            await ForwardAsync(context, function, key, replica);
        }
        finally
        {
            inFlight.Dec();
            var code = context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
            metrics.Invocations.WithLabels(label, code).Inc();
            metrics.Seconds.WithLabels(label, code).Observe(Stopwatch.GetElapsedTime((long)context.Items[StartKey]!).TotalSeconds);
        }
    }

    private async Task ForwardAsync(HttpContext context, string function, FunctionKey key, ReplicaEndpoint replica)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(options.Value.UpstreamTimeout);
        var target = TargetPath(context, function);
        var result = await HttpForwarder.ForwardAsync(context, new UpstreamTarget(replica.Host, replica.Port, target), client, Forwarding, deadline.Token);
        if (result == ForwardResult.ConnectFailed && routes.Pick(key, exclude: replica) is { } other && other != replica)
        {
            result = await HttpForwarder.ForwardAsync(context, new UpstreamTarget(other.Host, other.Port, target), client, Forwarding, deadline.Token);
        }

        switch (result)
        {
            case ForwardResult.ConnectFailed:
                await FailAsync(context, StatusCodes.Status502BadGateway, $"cannot connect to a replica of {key}");
                break;
            case ForwardResult.UpstreamFailed:
                await FailAsync(context, StatusCodes.Status502BadGateway, $"a replica of {key} failed to answer");
                break;
            case ForwardResult.Timeout:
                await FailAsync(context, StatusCodes.Status504GatewayTimeout, $"{key} did not answer within {options.Value.UpstreamTimeout.TotalSeconds:0.###}s");
                break;
        }
    }

    /// <summary>"name" or "name.namespace", as OpenFaaS routes them.</summary>
    private static FunctionKey ParseFunction(string function)
    {
        var dot = function.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? new FunctionKey(function, NameRules.DefaultNamespace)
            : new FunctionKey(function[..dot], DeploymentValidator.NamespaceOrDefault(function[(dot + 1)..]));
    }

    /// <summary>The request-target behind <c>/function/NAME</c>, taken from the raw target so percent-encoding is kept.</summary>
    private static string TargetPath(HttpContext context, string function)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var prefix = "/function/" + function;
        var rest = raw.StartsWith(prefix, StringComparison.Ordinal) ? raw[prefix.Length..] : context.Request.QueryString.ToString();
        return rest.StartsWith('/') ? rest : "/" + rest;
    }

    private static IReadOnlyList<KeyValuePair<string, string>> ForwardedHeaders(HttpContext context)
    {
        var request = context.Request;
        return
        [
            new("X-Call-Id", (string)context.Items[CallIdKey]!),
            new("X-Start-Time", (string)context.Items[StartTimeKey]!),
            new("X-Forwarded-For", request.Headers["X-Forwarded-For"] is { Count: > 0 } chain
                ? $"{chain}, {context.Connection.RemoteIpAddress}" : context.Connection.RemoteIpAddress?.ToString() ?? ""),
            new("X-Forwarded-Host", request.Headers["X-Forwarded-Host"] is { Count: > 0 } host ? host.ToString() : request.Host.ToString()),
            new("X-Forwarded-Proto", request.Scheme),
        ];
    }

    private static async Task FailAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Call-Id"] = (string)context.Items[CallIdKey]!;
        await context.Response.WriteAsync(message + "\n");
    }
}
