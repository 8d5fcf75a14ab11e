using System.Net;

namespace Faas.Watchdog.Config;

/// <summary>The watchdog's configuration, parsed once from the environment at start-up and never changed.</summary>
internal sealed record WatchdogConfig
{
    public required WatchdogMode Mode { get; init; }

    /// <summary>The function's command line (<c>fprocess</c>), already split into program and arguments.</summary>
    public required IReadOnlyList<string> FunctionProcess { get; init; }

    /// <summary>Where the http-mode function listens (<c>upstream_url</c>); null in the other modes.</summary>
    public Uri? UpstreamUrl { get; init; }

    public required IPAddress ListenAddress { get; init; }

    public required int Port { get; init; }

    public required int MetricsPort { get; init; }

    public required TimeSpan ReadTimeout { get; init; }

    public required TimeSpan WriteTimeout { get; init; }

    /// <summary>How long one invocation may run; <see cref="TimeSpan.Zero"/> disables the limit.</summary>
    public required TimeSpan ExecTimeout { get; init; }

    /// <summary>How long to keep serving, reported unhealthy, after SIGTERM before draining.</summary>
    public required TimeSpan HealthcheckInterval { get; init; }

    /// <summary>How often to check whether the watchdog has gone quiet, to return the heap a burst left; zero: never.</summary>
    public required TimeSpan IdleMemoryCheck { get; init; }

    /// <summary>Concurrent invocations allowed; 0 means no limit.</summary>
    public required int MaxInflight { get; init; }

    /// <summary>Path on the function that must answer 2xx before the replica is ready (http mode), and that <c>/_/ready</c> probes.</summary>
    public string? ReadyPath { get; init; }

    public required bool PrefixLogs { get; init; }

    /// <summary>The longest log line kept whole; longer lines are split.</summary>
    public required int LogBufferSize { get; init; }

    /// <summary>Content-Type of responses in the fork modes.</summary>
    public required string ContentType { get; init; }

    /// <summary>Whether stderr goes into the response body (fork modes) rather than to the log.</summary>
    public required bool CombineOutput { get; init; }

    public required string StaticPath { get; init; }

    public required bool SuppressLock { get; init; }

    /// <summary>Buffer the whole request body before proxying it (http mode), for upstreams that need Content-Length.</summary>
    public required bool BufferHttp { get; init; }

    /// <summary>
    /// A descriptor inherited from the watchdog's parent to report readiness on (<c>FAAS_READY_FD</c>, which the local
    /// backend sets); null without one.
    /// </summary>
    public int? ReadyDescriptor { get; init; }

    /// <summary>The file whose presence tells exec probes the replica is healthy (<c>$TMPDIR/.lock</c>).</summary>
    public required string LockFilePath { get; init; }

    /// <summary>Whether the watchdog's own threads run SCHED_BATCH (<c>sched_batch</c>); the function keeps the watchdog's launch policy.</summary>
    public required bool SchedBatch { get; init; }

    /// <summary>Whether http mode serves ordinary requests on its own HTTP/1.1 fast path rather than Kestrel's (<c>http_fast_path</c>).</summary>
    public required bool HttpFastPath { get; init; }

    /// <summary>
    /// Whether every invocation is logged as OpenFaaS's watchdogs do at their default level (<c>log_level</c> info or
    /// debug; warn or error turn it off): a request line in http and static modes, <c>Forking fprocess.</c> and
    /// <c>Wrote N Bytes - Duration: S seconds</c> in the fork modes.
    /// </summary>
    public required bool LogInvocations { get; init; }

    /// <summary>How error messages name the function: <c>name.namespace</c> where the backend says (FAAS_FUNCTION_NAME/_NAMESPACE), else "function".</summary>
    public string FunctionLabel { get; init; } = "function";
}
