using Faas.Proxy;
using Microsoft.AspNetCore.Http;

namespace Faas.Gateway.Invoke.Forwarding;

/// <summary>
/// Sends an invocation to one replica and relays its answer. Two implementations, chosen by <c>Gateway:Forwarder</c>:
/// ours (<c>own</c>, the default: bench/results/yarp.md has the figures) and YARP's <c>IHttpForwarder</c> (<c>yarp</c>).
/// </summary>
internal interface IReplicaForwarder
{
    ValueTask<ForwardResult> ForwardAsync(HttpContext context, UpstreamTarget target, ForwardOptions options, CancellationToken cancellationToken);
}
