using Faas.Proxy;
using Faas.Proxy.Upstream;
using Microsoft.AspNetCore.Http;

namespace Faas.Gateway.Invoke.Forwarding;

/// <summary><see cref="HttpForwarder"/> over pooled HTTP/1.1 connections to the replicas.</summary>
internal sealed class OwnForwarder(UpstreamClient client) : IReplicaForwarder
{
    public ValueTask<ForwardResult> ForwardAsync(HttpContext context, UpstreamTarget target, ForwardOptions options, CancellationToken cancellationToken) =>
        HttpForwarder.ForwardAsync(context, target, client, options, cancellationToken);
}
