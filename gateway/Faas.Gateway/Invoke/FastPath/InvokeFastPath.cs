using Faas.Gateway.Configuration;
using Faas.Gateway.Metrics;
using Faas.Gateway.Security;
using Faas.Provider;
using Faas.Proxy.FastPath;
using Faas.Proxy.Upstream;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Invoke.FastPath;

/// <summary>
/// Invocations without Kestrel's HttpContext pipeline, as the watchdog's fast path serves its function (see
/// <see cref="FastPathConnection"/>): connection middleware on the gateway's port that relays ordinary invocations
/// straight from the client's bytes to a replica's connection and back. The first request it does not take (see
/// <see cref="InvokeRequestParser"/>, and any request while a tracer listens) hands the connection to Kestrel for good:
/// the admin API, credentials, large or chunked bodies keep Kestrel's path. Not on the dashboard's port, and not when invocations need credentials or go through YARP (nor with
/// <see cref="GatewayOptions.FastPath"/> off).
/// </summary>
internal sealed class InvokeFastPath(RoutingTable routes, ReplicaWait replicaWait, IFunctionProvider provider, FunctionTimeouts timeouts, GatewayMetrics metrics, UpstreamClient client,
    DashboardOrigin dashboard, IOptions<GatewayOptions> options, IOptions<KestrelServerOptions> kestrelOptions) : IDisposable
{
    public RoutingTable Routes => routes;

    public ReplicaWait ReplicaWait => replicaWait;

    public IFunctionProvider Provider => provider;

    public FunctionTimeouts Timeouts => timeouts;

    public GatewayMetrics Metrics => metrics;

    public UpstreamClient Client => client;

    public long? MaxRequestBodySize => options.Value.MaxRequestBodySize;

    /// <summary>Kestrel's keep-alive timeout, kept for the connections the fast path serves.</summary>
    private KeepAliveMonitor KeepAlive { get; } = new(kestrelOptions.Value.Limits.KeepAliveTimeout);

    /// <summary>Whether the gateway's settings let invocations take the fast path at all.</summary>
    public static bool Applies(GatewayOptions options) => options.FastPath && !options.AuthenticateInvocations && options.Forwarder == "own";

    /// <summary>The connection middleware for Kestrel's endpoints.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate kestrel)
    {
        var fastPath = FastPathConnection.Middleware(KeepAlive, InvokeRequestParser.MaxRequestSize, connection => new InvokeExchange(this, connection))(kestrel);
        return connection => dashboard.Port == (connection.LocalEndPoint as System.Net.IPEndPoint)?.Port ? kestrel(connection) : fastPath(connection);
    }

    public void Dispose() => KeepAlive.Dispose();
}
