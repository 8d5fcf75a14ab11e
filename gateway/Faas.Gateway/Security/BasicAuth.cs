using Faas.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Security;

/// <summary>
/// Basic auth on <c>/system/*</c> (as OpenFaaS decorates every admin route). Invocations stay public unless
/// <see cref="GatewayOptions.AuthenticateInvocations"/> asks for the admin credentials there too; the gateway's own
/// invocations pass with their <see cref="InternalCaller"/> token instead, and the dashboard's with its session cookie.
/// </summary>
internal sealed class BasicAuth(RequestDelegate next, AdminCredentials credentials, InternalCaller internalCaller, DashboardSessions sessions, IOptions<GatewayOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var invocation = path.StartsWithSegments("/function") || path.StartsWithSegments("/async-function");
        var internalCall = internalCaller.Claim(context.Request);
        var guarded = path.StartsWithSegments("/system") || (options.Value.AuthenticateInvocations && invocation);
        var admin = context.Request.Headers.Authorization.Count > 0 && credentials.Accepts(context.Request.Headers.Authorization);
        var allowed = !guarded || (invocation && internalCall) || admin || sessions.Accepts(context.Request);
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

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"FaaS\", charset=\"UTF-8\"";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"unauthorized: {(path.StartsWithSegments("/system") ? "the /system API" : "invoking functions")} needs the admin user and password\n");
    }
}
