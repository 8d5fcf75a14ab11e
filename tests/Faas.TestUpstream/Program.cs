using System.Net;
using Faas.TestUpstream;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Usage: test-upstream [PORT]   (else $PORT, as the local backend gives http-mode functions; READY_AFTER_MS: /ready answers 503 until then)
var portText = args.Length == 1 ? args[0] : Environment.GetEnvironmentVariable("PORT");
if (!int.TryParse(portText, out var port))
{
    Console.Error.WriteLine("usage: test-upstream PORT (or set $PORT)");
    return 2;
}

var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = new ServiceCollection().BuildServiceProvider() };
options.Limits.MaxRequestBodySize = null;
options.ResponseHeaderEncodingSelector = static _ => System.Text.Encoding.Latin1;
options.Listen(IPAddress.Loopback, port);
using var server = new KestrelServer(Options.Create(options),
    new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance), NullLoggerFactory.Instance);

var stop = new TaskCompletionSource();
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});

var readyAfter = int.TryParse(Environment.GetEnvironmentVariable("READY_AFTER_MS"), out var ms) ? ms : 0;
await server.StartAsync(new UpstreamApplication(TimeSpan.FromMilliseconds(readyAfter)), CancellationToken.None);
Console.WriteLine($"test-upstream listening on 127.0.0.1:{port}");
await stop.Task;
await server.StopAsync(CancellationToken.None);
return 0;
