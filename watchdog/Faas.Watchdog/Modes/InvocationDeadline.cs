using Faas.Provider.Timeouts;
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
        var limit = config.ExecTimeout;
        var requested = context.Request.Headers["X-Timeout"];
        if (requested.Count == 1 && Duration.TryParse(requested[0]!, out var asked) && asked > TimeSpan.Zero &&
            (limit == TimeSpan.Zero || asked < limit))
        {
            limit = asked;
        }

        return RequestDeadline.Start(limit, context.RequestAborted);
    }
}
