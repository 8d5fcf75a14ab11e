using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.TestUpstream;

/// <summary>
/// Routes: <c>/</c> "OK"; <c>/echo</c> the body back with its content type; <c>/headers</c> the request headers as
/// JSON; <c>/slow?ms=N</c>; <c>/sse?count=N&amp;interval=MS</c> server-sent events; <c>/size</c> the number of body
/// bytes; <c>/ready</c>; <c>/status?code=N</c>; <c>/download</c> a Content-Disposition whose file name is Latin-1, as
/// Python's http.server would send it; <c>/cookies?set=C&amp;set=D</c> a Set-Cookie per value; <c>/crash</c> exits the
/// process; <c>/ws</c> a WebSocket echo.
/// </summary>
internal sealed class UpstreamApplication(TimeSpan readyAfter) : IHttpApplication<HttpContext>
{
    private static readonly byte[] Ok = "OK"u8.ToArray();
    private readonly long _started = Stopwatch.GetTimestamp();

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }

    public async Task ProcessRequestAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        switch (request.Path.Value)
        {
            case "/echo":
                response.ContentType = request.ContentType ?? "application/octet-stream";
                await request.Body.CopyToAsync(response.Body);
                break;
            case "/headers":
                response.ContentType = "application/json";
                var headers = request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString());
                headers[":path"] = request.Path + request.QueryString;
                headers[":method"] = request.Method;
                await response.WriteAsync(JsonSerializer.Serialize(headers, UpstreamJson.Default.DictionaryStringString));
                break;
            case "/slow":
                await Task.Delay(Query(request, "ms", 1000), context.RequestAborted);
                await response.Body.WriteAsync(Ok);
                break;
            case "/sse":
                response.ContentType = "text/event-stream";
                for (var i = 0; i < Query(request, "count", 3); i++)
                {
                    await response.WriteAsync($"data: event {i} at {DateTime.UtcNow:O}\n\n");
                    await response.Body.FlushAsync();
                    await Task.Delay(Query(request, "interval", 200), context.RequestAborted);
                }

                break;
            case "/size":
                long total = 0;
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await request.Body.ReadAsync(buffer)) > 0)
                {
                    total += read;
                }

                await response.WriteAsync(total.ToString(CultureInfo.InvariantCulture));
                break;
            case "/ready":
                var ready = Stopwatch.GetElapsedTime(_started) >= readyAfter;
                response.StatusCode = ready ? 200 : 503;
                await response.WriteAsync(ready ? "ready" : "warming up");
                break;
            case "/status":
                response.StatusCode = Query(request, "code", 200);
                break;
            case "/redirect":
                response.StatusCode = Query(request, "code", 302);
                response.Headers.Location = request.Query["to"].ToString();
                break;
            case "/cookies":
                response.Headers.SetCookie = request.Query["set"];
                await response.Body.WriteAsync(Ok);
                break;
            case "/download":
                response.Headers.ContentDisposition = "attachment; filename=\"caf\u00e9.txt\"";
                await response.WriteAsync("ok");
                break;
            case "/crash":
                Environment.Exit(3);
                break;
            case "/ws":
                await EchoWebSocketAsync(context);
                break;
            default:
                response.ContentLength = Ok.Length;
                await response.Body.WriteAsync(Ok);
                break;
        }
    }

    private static int Query(HttpRequest request, string name, int fallback) =>
        int.TryParse(request.Query[name], out var value) ? value : fallback;

    private static async Task EchoWebSocketAsync(HttpContext context)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is null || !upgrade.IsUpgradableRequest || key.Length == 0)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        context.Response.Headers["Sec-WebSocket-Accept"] = accept;
        context.Response.Headers.Upgrade = "websocket";
        var stream = await upgrade.UpgradeAsync();
        using var socket = WebSocket.CreateFromStream(stream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        var buffer = new byte[4096];
        while (true)
        {
            var message = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (message.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, message.Count), message.MessageType, message.EndOfMessage, CancellationToken.None);
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class UpstreamJson : System.Text.Json.Serialization.JsonSerializerContext;
