using Faas.Gateway.Http;

namespace Faas.Gateway.Security;

/// <summary>
/// Keeps functions and the dashboard in different origins (see <see cref="DashboardOrigin"/>). On the dashboard's port a
/// function is invoked only by the dashboard's own script, which sends <see cref="DashboardSessions.ChangeHeader"/>: a
/// browser navigating there (a link, a frame, a form) cannot, so no function's page is ever opened in the dashboard's
/// origin. On the main port <c>/ui/</c> is sent to the dashboard's port.
/// </summary>
internal sealed class OriginSeparation(RequestDelegate next, DashboardOrigin dashboard)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (dashboard.Serves(context))
        {
            if ((path.StartsWithSegments("/function") || path.StartsWithSegments("/async-function")) && !context.Request.Headers.ContainsKey(DashboardSessions.ChangeHeader))
            {
                return PlainTextError.WriteAsync(context, StatusCodes.Status404NotFound,
                    "functions are not served at the dashboard's address, only to the dashboard's own page: call them at the gateway's main address");
            }

            return next(context);
        }

        if (!path.StartsWithSegments("/ui"))
        {
            return next(context);
        }

        if (dashboard.Port is not { } port)
        {
            return PlainTextError.WriteAsync(context, StatusCodes.Status404NotFound,
                "the dashboard is off: Gateway:Dashboard:Url serves it at an address of its own, such as http://127.0.0.1:8081 (make run does)");
        }

        // The same host the caller used, on the dashboard's port.
        var request = context.Request;
        context.Response.Redirect($"{request.Scheme}://{request.Host.Host}:{port}{request.PathBase}{path}{request.QueryString}");
        return Task.CompletedTask;
    }
}
