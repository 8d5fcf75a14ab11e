using System.Diagnostics;
using Faas.Conventions;
using Faas.Watchdog.Config;
using Faas.Watchdog.Health;
using Faas.Watchdog.Logging;
using Faas.Watchdog.Metrics;

namespace Faas.Watchdog.Server;

/// <summary>
/// What every request on the function port goes through, whichever transport received it (Kestrel's pipeline, or http
/// mode's fast path): the health and readiness answers, the <c>X-Timeout</c> check, the <c>max_inflight</c> limit, the
/// invocation's time limit, and each invocation's metrics and request log. A transport only reads requests and writes
/// the answers this policy decides.
/// </summary>
internal sealed class RequestPolicy(WatchdogConfig config, ReplicaHealth health, ConcurrencyLimiter limiter, WatchdogMetrics metrics, WatchdogLog log)
{
    /// <summary>The <c>X-OpenFaaS-Internal</c> value of the watchdog's own answers, and of the concurrency limiter's.</summary>
    public const string WatchdogSource = "watchdog";
    public const string LimiterSource = "faas-middleware";

    /// <summary>A short plain-text answer of the watchdog's own; <see cref="Source"/> is null for the health routes, which carry none.</summary>
    public readonly record struct Answer(int Status, string Message, string? Source);

    public WatchdogConfig Config => config;

    /// <summary>GET (or HEAD) <c>/_/health</c>: 200 once the function is ready, 503 before and while stopping.</summary>
    public Answer Health(string method) =>
        method is not ("GET" or "HEAD") ? new(405, "method not allowed", null)
        : health.IsHealthy ? new(200, "OK", null)
        : new(503, "not ready", null);

    /// <summary><c>/_/ready</c>: as health, and 429 while <c>max_inflight</c> invocations run.</summary>
    public Answer Ready() =>
        !health.IsHealthy ? new(503, "not ready", null)
        : limiter.IsSaturated ? new(429, "at max_inflight", null)
        : new(200, "OK", null);

    /// <summary>
    /// Lets an invocation in (null: it is counted in flight from now, and <see cref="Finish"/> must follow once) or
    /// answers it at once: 400 for an <c>X-Timeout</c> that is not a duration, 429 at <c>max_inflight</c>.
    /// </summary>
    public Answer? Admit(string method, string? requestedTimeout, out long started)
    {
        started = 0;
        if (RequestTimeout.Check(requestedTimeout) is { } problem)
        {
            metrics.Record(400, method, 0);
            return new(400, problem, WatchdogSource);
        }

        if (!limiter.TryEnter())
        {
            metrics.Record(429, method, 0);
            return new(429, $"Concurrent request limit exceeded. Max concurrent requests: {limiter.Limit}", LimiterSource);
        }

        started = Stopwatch.GetTimestamp();
        metrics.InFlight.Inc();
        return null;
    }

    /// <summary>
    /// How long the admitted invocation may take: <c>exec_timeout</c>, or a shorter <c>X-Timeout</c> (as of-watchdog
    /// honours it, so the gateway's per-function timeout reaches every hop).
    /// </summary>
    public TimeSpan Limit(string? requestedTimeout)
    {
        var limit = config.ExecTimeout;
        if (requestedTimeout is not null && Duration.TryParse(requestedTimeout, out var asked) && asked > TimeSpan.Zero &&
            (limit == TimeSpan.Zero || asked < limit))
        {
            limit = asked;
        }

        return limit;
    }

    /// <summary>The answer when running the function failed in the watchdog itself (it could not be started, say).</summary>
    public Answer Failed(Exception error)
    {
        log.Info($"invocation failed: {error.GetType().Name}: {error.Message}");
        return new(500, "the watchdog could not run the function", WatchdogSource);
    }

    /// <summary>
    /// Ends an admitted invocation: out of flight, its status and duration counted, and its request line logged (the
    /// fork modes log their own lines, as the classic watchdog does).
    /// </summary>
    public void Finish(long started, int status, string method, string target, long? contentLength)
    {
        limiter.Exit();
        metrics.InFlight.Dec();
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.Record(status, method, elapsed.TotalSeconds);
        if (config.Mode is not (WatchdogMode.Streaming or WatchdogMode.Serializing))
        {
            log.Request(method, target, status, contentLength, elapsed);
        }
    }
}
