using Faas.Provider.Timeouts;
using Faas.Watchdog.Config;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Modes;

/// <summary>
/// The time one invocation may take: <c>exec_timeout</c>, or a shorter <c>X-Timeout</c> request header
/// (as of-watchdog honours it, so the gateway's per-function timeout reaches every hop). Its token is
/// cancelled at the deadline or when the client goes away; <see cref="Expired"/> tells the two apart.
/// </summary>
public sealed class InvocationDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _requestAborted;

    private InvocationDeadline(TimeSpan limit, CancellationToken requestAborted)
    {
        Limit = limit;
        _requestAborted = requestAborted;
        _source = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        if (limit > TimeSpan.Zero)
        {
            _source.CancelAfter(limit);
        }
    }

    /// <summary>The limit in force; <see cref="TimeSpan.Zero"/> when there is none.</summary>
    public TimeSpan Limit { get; }

    public CancellationToken Token => _source.Token;

    public bool Expired => _source.IsCancellationRequested && !_requestAborted.IsCancellationRequested;

    public static InvocationDeadline For(HttpContext context, WatchdogConfig config)
    {
        var limit = config.ExecTimeout;
        var requested = context.Request.Headers["X-Timeout"];
        if (requested.Count == 1 && Duration.TryParse(requested[0]!, out var asked) && asked > TimeSpan.Zero &&
            (limit == TimeSpan.Zero || asked < limit))
        {
            limit = asked;
        }

        return new InvocationDeadline(limit, context.RequestAborted);
    }

    public void Dispose() => _source.Dispose();
}
