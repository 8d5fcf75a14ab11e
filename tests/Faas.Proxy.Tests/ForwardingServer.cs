using System.Net;
using Faas.Proxy;
using Faas.Proxy.Upstream;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Faas.Proxy.Tests;

/// <summary>
/// A real Kestrel server on loopback whose every request is forwarded to one upstream port; each
/// <see cref="ForwardResult"/> other than success becomes a status a test can see (502, 503, 504).
/// </summary>
public sealed class ForwardingServer : IAsyncDisposable, IHttpApplication<HttpContext>
{
    private readonly KestrelServer _server;
    private readonly int _upstreamPort;

    private ForwardingServer(int upstreamPort, ForwardOptions options, TimeSpan timeout)
    {
        _upstreamPort = upstreamPort;
        Options = options;
        Timeout = timeout;
        Port = FreePort.Next();
        var kestrel = new KestrelServerOptions { ApplicationServices = new ServiceCollection().BuildServiceProvider() };
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Listen(IPAddress.Loopback, Port);
        _server = new KestrelServer(Microsoft.Extensions.Options.Options.Create(kestrel),
            new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance),
            NullLoggerFactory.Instance);
    }

    public UpstreamClient Client { get; } = new();

    public ForwardOptions Options { get; }

    public TimeSpan Timeout { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public List<ForwardResult> Results { get; } = [];

    public static async Task<ForwardingServer> StartAsync(int upstreamPort, ForwardOptions? options = null, TimeSpan? timeout = null)
    {
        var server = new ForwardingServer(upstreamPort, options ?? ForwardOptions.Default, timeout ?? TimeSpan.FromSeconds(10));
        await server._server.StartAsync(server, CancellationToken.None);
        return server;
    }

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }

    public async Task ProcessRequestAsync(HttpContext context)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(Timeout);
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var result = await HttpForwarder.ForwardAsync(context, new UpstreamTarget("127.0.0.1", _upstreamPort, raw), Client, Options, deadline.Token);
        lock (Results)
        {
            Results.Add(result);
        }

        var status = result switch
        {
            ForwardResult.ConnectFailed => 503,
            ForwardResult.UpstreamFailed => 502,
            ForwardResult.Timeout => 504,
            _ => 0,
        };
        if (status != 0 && !context.Response.HasStarted)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(result.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None);
        _server.Dispose();
        Client.Dispose();
    }
}
