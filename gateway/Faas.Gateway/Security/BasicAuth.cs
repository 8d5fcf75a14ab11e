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
        var allowed = !guarded || (invocation && internalCall) || credentials.Accepts(context.Request.Headers.Authorization) || sessions.Accepts(context.Request);
        if (invocation)
        {
            DashboardSessions.StripFrom(context.Request);
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
