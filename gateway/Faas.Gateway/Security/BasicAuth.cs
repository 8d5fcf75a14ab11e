namespace Faas.Gateway.Security;

/// <summary>Basic auth on <c>/system/*</c> (as OpenFaaS decorates every admin route); invocations stay public.</summary>
public sealed class BasicAuth(RequestDelegate next, AdminCredentials credentials)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/system") || credentials.Accepts(context.Request.Headers.Authorization))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"FaaS\", charset=\"UTF-8\"";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("unauthorized: the /system API needs the admin user and password\n");
    }
}
