using System.Diagnostics;
using Faas.Prometheus;
using Faas.Conventions;
using Faas.Watchdog.Config;
using Faas.Watchdog.Health;
using Faas.Watchdog.Http;
using Faas.Watchdog.Logging;
using Faas.Watchdog.Metrics;
using Faas.Watchdog.Modes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Watchdog.Server;

/// <summary>
/// Every request the watchdog receives: <c>/metrics</c> on the metrics port, <c>/_/health</c> and <c>/_/ready</c>,
/// and everything else as an invocation of the function through the configured mode.
/// </summary>
public sealed class WatchdogApplication(
    WatchdogConfig config,
    IFunctionMode mode,
    ReplicaHealth health,
    ConcurrencyLimiter limiter,
    WatchdogMetrics metrics,
    WatchdogLog log) : IHttpApplication<HttpContext>
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
            "/_/health" => ServeHealthAsync(context),
            "/_/ready" => ServeReadyAsync(context),
            _ => InvokeAsync(context),
        };
    }

    private async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Headers[RequestTimeout.Header] is { Count: > 0 } asked && RequestTimeout.Check(asked.ToString()) is { } problem)
        {
            metrics.Record(StatusCodes.Status400BadRequest, context.Request.Method, 0);
            await PlainText.WriteAsync(context, StatusCodes.Status400BadRequest, problem);
            return;
        }

        if (!limiter.TryEnter())
        {
            metrics.Record(StatusCodes.Status429TooManyRequests, context.Request.Method, 0);
            await PlainText.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                $"Concurrent request limit exceeded. Max concurrent requests: {limiter.Limit}", source: "faas-middleware");
            return;
        }

        var started = Stopwatch.GetTimestamp();
        context.Features.Set(new InvocationStart(started));
        metrics.InFlight.Inc();
        try
        {
            using var deadline = InvocationDeadline.For(context, config);
            await mode.InvokeAsync(context, deadline);
        }
        catch (Exception error) when (error is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            log.Info($"invocation failed: {error.GetType().Name}: {error.Message}");
            await PlainText.WriteAsync(context, StatusCodes.Status500InternalServerError, "the watchdog could not run the function");
        }
        finally
        {
            limiter.Exit();
            metrics.InFlight.Dec();
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            metrics.Record(context.Response.StatusCode, context.Request.Method, seconds);
            if (config.LogRequests)
            {
                log.Info($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} - {context.Response.StatusCode} - ContentLength: {context.Response.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} ({seconds:0.0000}s)");
            }
        }
    }

    private Task ServeHealthAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return PlainText.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "method not allowed", source: null);
        }

        return health.IsHealthy
            ? PlainText.WriteAsync(context, StatusCodes.Status200OK, "OK", source: null)
            : PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready", source: null);
    }

    private async Task ServeReadyAsync(HttpContext context)
    {
        if (!health.IsHealthy)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready", source: null);
        }
        else if (limiter.IsSaturated)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status429TooManyRequests, "at max_inflight", source: null);
        }
        else
        {
            await PlainText.WriteAsync(context, StatusCodes.Status200OK, "OK", source: null);
        }
    }

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
