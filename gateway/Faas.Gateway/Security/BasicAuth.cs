using Faas.Gateway.Configuration;
using Faas.Gateway.Http;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Security;

/// <summary>
/// Basic auth on <c>/system/*</c> (as OpenFaaS decorates every admin route). Invocations stay public unless
/// <see cref="GatewayOptions.AuthenticateInvocations"/> asks for the admin credentials there too; the gateway's own
/// invocations pass with their <see cref="InternalCaller"/> token instead, and the dashboard's with its session cookie
/// (on the dashboard's port only). A request a function's page made in a browser gets nothing from the credentials the
/// browser adds by itself (see <see cref="DashboardOrigin.FunctionPageSign"/>): a 403, and no challenge, so such a page
/// cannot make the browser ask the admin for the password either. Nor is there a challenge on the dashboard's port.
/// </summary>
internal sealed class BasicAuth(RequestDelegate next, AdminCredentials credentials, InternalCaller internalCaller, DashboardSessions sessions,
    DashboardOrigin dashboard, IOptions<GatewayOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var invocation = path.StartsWithSegments("/function") || path.StartsWithSegments("/async-function");
        var internalCall = internalCaller.Claim(context.Request);
        var guarded = path.StartsWithSegments("/system") || (options.Value.AuthenticateInvocations && invocation);
        var admin = context.Request.Headers.Authorization.Count > 0 && credentials.Accepts(context.Request.Headers.Authorization);
        var functionPageSign = guarded ? dashboard.FunctionPageSign(context) : null;
        var allowed = !guarded || (invocation && internalCall) || (admin && functionPageSign is null) || sessions.Accepts(context);
        if (invocation)
        {
            // A function must never hold what opens the admin API: the admin's own credentials and the dashboard's
            // session are taken off (a function's own Authorization, a bearer token say, passes).
            DashboardSessions.StripFrom(context.Request);
            if (admin)
            {
                context.Request.Headers.Remove("Authorization");
            }
        }

        if (allowed)
        {
            return next(context);
        }

        var what = path.StartsWithSegments("/system") ? "the /system API" : "invoking functions";
        if (functionPageSign is not null)
        {
            return PlainTextError.WriteAsync(context, StatusCodes.Status403Forbidden,
                $"forbidden: {what} takes no request a web page makes here, where a page may be a function's ({functionPageSign}): use the dashboard's address or a client such as faas-cli");
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (!dashboard.Serves(context))
        {
            // On the dashboard's port the sign-in is the dashboard's own form: a challenge there made the browser raise
            // its password prompt over the page whenever a session ended.
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"FaaS\", charset=\"UTF-8\"";
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"unauthorized: {what} needs the admin user and password\n");
    }
}
