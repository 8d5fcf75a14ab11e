using Faas.Proxy.FastPath;
using Faas.Watchdog.Logging;
using Faas.Watchdog.Modes;
using Faas.Watchdog.Server;
using Microsoft.AspNetCore.Connections;

namespace Faas.Watchdog.FastPath;

/// <summary>
/// http mode's fast path: Kestrel connection middleware on the function port that serves ordinary HTTP/1.1 requests
/// itself, straight from the connection's bytes to the function's connection and back, without Kestrel's HttpContext
/// pipeline. That pipeline cost about a third of the watchdog's time per proxied request. The first request it does not
/// take (see <see cref="FastPathRequestParser"/>) hands the connection, bytes unread, to Kestrel for good, so upgrades,
/// chunked or large uploads, Expect, HEAD and malformed input keep Kestrel's behaviour. Answers, limits, metrics,
/// logs and the deadline are decided by the same <see cref="RequestPolicy"/> as on Kestrel's path.
/// </summary>
internal sealed class HttpModeFastPath(RequestPolicy policy, HttpMode mode, WatchdogLog log, TimeSpan keepAliveTimeout) : IDisposable
{
    public RequestPolicy Policy => policy;

    public HttpMode Mode => mode;

    public WatchdogLog Log => log;

    public KeepAliveMonitor KeepAlive { get; } = new(keepAliveTimeout);

    public FastPathRequestParser Parser { get; } = new(mode.UpstreamHost, mode.UpstreamPort, mode.UpstreamBasePath, policy.Config.LogInvocations);

    /// <summary>The middleware: every connection starts on the fast path; <paramref name="kestrel"/> takes over those it hands on.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate kestrel) =>
        FastPathConnection.Middleware(KeepAlive, FastPathRequestParser.MaxRequestSize, connection => new WatchdogExchange(this, connection))(kestrel);

    public void Dispose() => KeepAlive.Dispose();
}
