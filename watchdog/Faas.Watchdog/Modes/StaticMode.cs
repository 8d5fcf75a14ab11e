using Faas.Posix;
using Faas.Proxy;
using Faas.Watchdog.Config;
using Faas.Watchdog.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace Faas.Watchdog.Modes;

/// <summary>
/// Serves the files under <c>static_path</c>: content type by extension, index.html for directories, GET and
/// HEAD only. A path that names anything outside the root (dot segments, in any encoding, or a symlink that
/// leads out) is refused.
/// </summary>
internal sealed class StaticMode(WatchdogConfig config) : IFunctionMode
{
    private readonly string _root = RealPath.Resolve(config.StaticPath) ?? config.StaticPath;
    private readonly FileExtensionContentTypeProvider _contentTypes = new();

    public async Task InvokeAsync(HttpContext context, RequestDeadline deadline)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await PlainText.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {request.Method} is not allowed on static files", source: null);
            return;
        }

        var relative = Uri.UnescapeDataString(request.Path.Value ?? "/");
        if (relative.Split('/', '\\').Any(segment => segment is ".." or "." ) || relative.Contains('\0'))
        {
            await PlainText.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid path: dot segments are not allowed", source: null);
            return;
        }

        var target = Resolve(relative.TrimStart('/'));
        if (target is null)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status404NotFound, "404 page not found", source: null);
            return;
        }

        if (Directory.Exists(target))
        {
            if (!relative.EndsWith('/'))
            {
                context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                context.Response.Headers.Location = request.PathBase + request.Path + "/" + request.QueryString;
                return;
            }

            target = Resolve(Path.Combine(relative.TrimStart('/'), "index.html"));
            if (target is null || !File.Exists(target))
            {
                await PlainText.WriteAsync(context, StatusCodes.Status404NotFound, "404 page not found", source: null);
                return;
            }
        }

        var file = new FileInfo(target);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = _contentTypes.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream";
        response.ContentLength = file.Length;
        response.Headers.LastModified = file.LastWriteTimeUtc.ToString("R");
        if (HttpMethods.IsGet(request.Method))
        {
            await response.SendFileAsync(file.FullName, deadline.Token);
        }
    }

    /// <summary>The real path of <paramref name="relative"/> under the root, or null if it does not exist or lies outside.</summary>
    private string? Resolve(string relative)
    {
        var real = RealPath.Resolve(Path.Combine(_root, relative));
        if (real is null)
        {
            return null;
        }

        return real == _root || real.StartsWith(_root + "/", StringComparison.Ordinal) ? real : null;
    }
}
