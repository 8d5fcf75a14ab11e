using Faas.Provider;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Gateway.Invoke;

/// <summary>
/// What the gateway knows about one invocation in flight, kept as a request feature for the forwarder's callbacks
/// (Kestrel reuses its feature slots per connection, where <see cref="HttpContext.Items"/> is a new dictionary per request).
/// </summary>
public sealed class Invocation
{
    public required FunctionKey Function { get; init; }

    /// <summary><c>X-Call-Id</c>: the caller's, or a new one.</summary>
    public required string CallId { get; init; }

    /// <summary><c>X-Start-Time</c>: Unix time in nanoseconds, as OpenFaaS sends it.</summary>
    public required string StartTime { get; init; }

    /// <summary>A <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
    public required long Started { get; init; }

    /// <summary>The <c>traceparent</c> sent to the replica.</summary>
    public string TraceParent { get; set; } = "";

    /// <summary>The limit sent to the replica as <c>X-Timeout</c>.</summary>
    public FunctionTimeouts.Limit Timeout { get; set; }

    /// <summary>How long the request waited for a replica to become ready; null if one was ready at once.</summary>
    public TimeSpan? ColdStart { get; set; }

    public static Invocation Of(HttpContext context) => context.Features.GetRequiredFeature<Invocation>();

    public void AttachTo(HttpContext context) => context.Features.Set(this);
}
