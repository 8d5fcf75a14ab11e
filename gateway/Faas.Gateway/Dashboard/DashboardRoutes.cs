using System.Text.Json;
using System.Text.Json.Serialization;
using Faas.Gateway.Security;

namespace Faas.Gateway.Dashboard;

/// <summary>
/// The dashboard's page at <c>/ui/</c> and its sign-in at <c>/ui/session</c>, on the dashboard's own port (see
/// <see cref="DashboardOrigin"/>). The page itself is public (it holds nothing); everything it shows comes from the
/// <c>/system</c> API, which a session's cookie opens there as Basic auth does.
/// </summary>
internal static class DashboardRoutes
{
    /// <summary>The page runs only its own scripts and talks only to the gateway; nothing may frame it.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/{**path}", (HttpContext context, string? path, DashboardAssets assets) => ServeAsync(context, path ?? "", assets));
        app.MapGet("/ui/session", (HttpContext context, DashboardSessions sessions, AdminCredentials credentials) =>
            sessions.Accepts(context) ? Results.Json(new SessionInfo { User = credentials.User }, DashboardJson.Default.SessionInfo) : Unauthorized());
        app.MapPost("/ui/session", SignInAsync);
        app.MapDelete("/ui/session", (HttpContext context, DashboardSessions sessions) =>
        {
            sessions.Close(context.Request);
            DashboardSessions.DeleteCookie(context);
            return Results.NoContent();
        });
    }

    private static async Task<IResult> SignInAsync(HttpContext context, DashboardSessions sessions, AdminCredentials credentials)
    {
        SignIn? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, DashboardJson.Default.SignIn, context.RequestAborted);
        }
        catch (JsonException error)
        {
            return Results.Text($"the sign-in body must be JSON with user and password: {error.Message}\n", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request is null || !credentials.Accepts(request.User, request.Password))
        {
            // A wrong guess costs the guesser time; the check itself takes the same time either way.
            await Task.Delay(TimeSpan.FromMilliseconds(300), context.RequestAborted);
            return Results.Text("wrong user or password\n", statusCode: StatusCodes.Status401Unauthorized);
        }

        sessions.SetCookie(context, sessions.Open());
        return Results.Json(new SessionInfo { User = credentials.User }, DashboardJson.Default.SessionInfo);
    }

    private static IResult Unauthorized() => Results.Text("not signed in\n", statusCode: StatusCodes.Status401Unauthorized);

    private static async Task ServeAsync(HttpContext context, string path, DashboardAssets assets)
    {
        var response = context.Response;
        if (context.Request.Path.Value == "/ui")
        {
            // Relative links in the page resolve against /ui/.
            response.Redirect("/ui/");
            return;
        }

        if (!assets.Built)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            await response.WriteAsync("this gateway was built without its dashboard (gateway/dashboard needs Node.js to build)\n", context.RequestAborted);
            return;
        }

        if (assets.Find(path) is not { } asset)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            await response.WriteAsync($"no such dashboard file: {path}\n", context.RequestAborted);
            return;
        }

        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Bytes.Length;
        await response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
    }
}

internal sealed record SignIn
{
    [JsonPropertyName("user")]
    public string User { get; init; } = "";

    [JsonPropertyName("password")]
    public string Password { get; init; } = "";
}

internal sealed record SessionInfo
{
    [JsonPropertyName("user")]
    public string User { get; init; } = "";
}
