using Faas.Conventions;
using Faas.Proxy;
using Faas.Watchdog.Config;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Modes;

/// <summary>
/// The time one invocation may take: <c>exec_timeout</c>, or a shorter <c>X-Timeout</c> request header
/// (as of-watchdog honours it, so the gateway's per-function timeout reaches every hop).
/// </summary>
public static class InvocationDeadline
{
    /// <summary>Starts the invocation's deadline; its token is cancelled at the limit or when the client goes away.</summary>
    public static RequestDeadline For(HttpContext context, WatchdogConfig config)
    {
        var requested = context.Request.Headers["X-Timeout"];
        return For(requested.Count == 1 ? requested[0] : null, config, context.RequestAborted);
    }

    /// <param name="requestedTimeout">The request's X-Timeout value when it sent exactly one, else null.</param>
    /// <param name="requestAborted">The client's connection going away.</param>
    public static RequestDeadline For(string? requestedTimeout, WatchdogConfig config, CancellationToken requestAborted) =>
        RequestDeadline.Start(Limit(requestedTimeout, config), requestAborted);

    /// <param name="requestedTimeout">The request's X-Timeout value when it sent exactly one, else null.</param>
    public static TimeSpan Limit(string? requestedTimeout, WatchdogConfig config)
    {
        var limit = config.ExecTimeout;
        if (requestedTimeout is not null && Duration.TryParse(requestedTimeout, out var asked) && asked > TimeSpan.Zero &&
            (limit == TimeSpan.Zero || asked < limit))
        {
            limit = asked;
        }

        return limit;
    }
}
