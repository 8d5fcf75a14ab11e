using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Faas.Gateway.Tests.Async;

/// <summary>A real HTTP server on loopback that records every callback it receives (an async caller's endpoint).</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CallbackReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public sealed record Callback(string CallId, string FunctionName, int Status, string Body, double DurationSeconds);

    public string Url { get; }

    public ConcurrentQueue<Callback> Received { get; } = new();

    /// <summary>Callbacks POSTed to <c>/moved</c>, which answers 307 to this receiver's <c>/done</c>.</summary>
    public int Redirected => _redirected;

    private int _redirected;

    public static async Task<CallbackReceiver> StartAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var app = WebApplication.CreateSlimBuilder(["--urls", url]).Build();
        var receiver = new CallbackReceiver(app, url);
        app.MapPost("/done", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var headers = context.Request.Headers;
            receiver.Received.Enqueue(new Callback(
                headers["X-Call-Id"].ToString(), headers["X-Function-Name"].ToString(), int.Parse(headers["X-Function-Status"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                await reader.ReadToEndAsync(), double.Parse(headers["X-Duration-Seconds"].ToString(), System.Globalization.CultureInfo.InvariantCulture)));
        });
        app.MapPost("/moved", (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver._redirected);
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = url + "/done";
        });
        await app.StartAsync();
        return receiver;
    }

    public Task<bool> WaitForAsync(int count, TimeSpan timeout) => ProcessTable.EventuallyAsync(() => Received.Count >= count, timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
