using System.Diagnostics;
using Faas.Gateway.Calls;
using Faas.Provider;

namespace Faas.Gateway.Invoke;

/// <summary>
/// W3C trace context for invocations. Each invocation is a server span of the <c>Faas.Gateway</c> activity source,
/// a child of the caller's <c>traceparent</c> when it sent one; the replica receives the span's context as its
/// own <c>traceparent</c>. With nothing listening no span is recorded: a caller's context passes through unchanged
/// and a request without one gets a new trace, so the function's own spans still join up.
/// </summary>
internal static class InvocationTracing
{
    public const string SourceName = "Faas.Gateway";

    private static readonly ActivitySource Source = new(SourceName, Faas.Conventions.BuildVersion.Of(typeof(InvocationTracing).Assembly).Release);

    /// <summary>Whether a tracer listens: invocations are then recorded as spans.</summary>
    public static bool Recording => Source.HasListeners();

    /// <summary>The invocation's span, or null when no tracer listens.</summary>
    public static Activity? Start(HttpContext context, FunctionKey function)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var headers = context.Request.Headers;
        ActivityContext.TryParse(headers.TraceParent, headers.TraceState, isRemote: true, out var parent);
        var activity = Source.StartActivity($"invoke {function}", ActivityKind.Server, parent);
        activity?.SetTag("faas.invoked_name", function.Name)
            .SetTag("faas.invoked_provider", "faas")
            .SetTag("faas.namespace", function.Namespace)
            .SetTag("http.request.method", context.Request.Method)
            .SetTag("url.path", context.Request.Path.Value);
        return activity;
    }

    /// <summary>The <c>traceparent</c> to send to the replica.</summary>
    public static string TraceParentFor(HttpContext context, Activity? span)
    {
        if (span?.Id is { } id)
        {
            return id;
        }

        return PassedOn(context.Request.Headers.TraceParent.ToString());
    }

    /// <summary>Without a span: the caller's <c>traceparent</c> when it is valid, else a new trace.</summary>
    public static string PassedOn(string? given) => ActivityContext.TryParse(given, null, out _) ? given! : NewTraceParent();

    /// <summary>A sampled <c>traceparent</c> with random trace and span ids, formatted straight into one string (see <see cref="LowerHex"/>).</summary>
    private static string NewTraceParent() => string.Create(55, 0, static (chars, _) =>
    {
        Span<byte> ids = stackalloc byte[24];
        Random.Shared.NextBytes(ids);
        "00-".CopyTo(chars);
        LowerHex.Write(ids[..16], chars[3..]);
        chars[35] = '-';
        LowerHex.Write(ids[16..], chars[36..]);
        "-01".CopyTo(chars[52..]);
    });

    public static void Finish(Activity? span, HttpContext context, Invocation invocation)
    {
        if (span is null)
        {
            return;
        }

        var status = context.Response.StatusCode;
        span.SetTag("http.response.status_code", status)
            .SetTag("faas.coldstart", invocation.ColdStart is not null)
            .SetTag("faas.execution", invocation.CallId);
        if (status >= 500)
        {
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}
