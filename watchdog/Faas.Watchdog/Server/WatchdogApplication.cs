using System.Diagnostics;
using Faas.Watchdog.Metrics.Exposition;
using Faas.Proxy;
using Faas.Conventions;
using Faas.Watchdog.Config;
using Faas.Watchdog.Http;
using Faas.Watchdog.Metrics;
using Faas.Watchdog.Modes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Watchdog.Server;

/// <summary>
/// Every request that reaches Kestrel's pipeline: <c>/metrics</c> on the metrics port, <c>/_/health</c> and
/// <c>/_/ready</c>, and everything else as an invocation of the function through the configured mode, under the same
/// <see cref="RequestPolicy"/> as http mode's fast path.
/// </summary>
internal sealed class WatchdogApplication(WatchdogConfig config, IFunctionMode mode, RequestPolicy policy, WatchdogMetrics metrics) : IHttpApplication<HttpContext>
{
    /// <summary>One context per connection, re-initialized for each request (as ASP.NET's own hosting does): no allocation per request.</summary>
    public HttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is not IHostContextContainer<HttpContext> container)
        {
            return new DefaultHttpContext(contextFeatures);
        }

        if (container.HostContext is DefaultHttpContext reused)
        {
            reused.Initialize(contextFeatures);
            return reused;
        }

        var created = new DefaultHttpContext(contextFeatures);
        container.HostContext = created;
        return created;
    }

    public void DisposeContext(HttpContext context, Exception? exception)
    {
        if (context is DefaultHttpContext reusable)
        {
            reusable.Uninitialize();
        }
    }

    public Task ProcessRequestAsync(HttpContext context)
    {
        if (context.Connection.LocalPort == config.MetricsPort)
        {
            return ServeMetricsAsync(context);
        }

        return context.Request.Path.Value switch
        {
            "/_/health" => WriteAsync(context, policy.Health(context.Request.Method)),
            "/_/ready" => WriteAsync(context, policy.Ready()),
            _ => InvokeAsync(context),
        };
    }

    private async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var timeout = request.Headers[InvocationHeaders.Timeout] is { Count: > 0 } asked ? asked.ToString() : null;
        if (policy.Admit(request.Method, timeout, out var started) is { } refused)
        {
            await WriteAsync(context, refused);
            return;
        }

        context.Features.Set(new InvocationStart(started));
        try
        {
            using var deadline = RequestDeadline.Start(policy.Limit(timeout), context.RequestAborted);
            await mode.InvokeAsync(context, deadline);
        }
        catch (Exception error) when (error is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            await WriteAsync(context, policy.Failed(error));
        }
        finally
        {
            policy.Finish(started, context.Response.StatusCode, request.Method, $"{request.Path}{request.QueryString}", context.Response.ContentLength);
        }
    }

    private static Task WriteAsync(HttpContext context, RequestPolicy.Answer answer) =>
        PlainText.WriteAsync(context, answer.Status, answer.Message, answer.Source);

    private Task ServeMetricsAsync(HttpContext context)
    {
        if (context.Request.Path.Value != "/metrics")
        {
            return PlainText.WriteAsync(context, StatusCodes.Status404NotFound, "not found", source: null);
        }

        context.Response.ContentType = TextFormat.ContentType;
        return context.Response.WriteAsync(metrics.Registry.Render());
    }
}
