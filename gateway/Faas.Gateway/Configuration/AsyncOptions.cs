namespace Faas.Gateway.Configuration;

/// <summary>Async invocation settings (section <c>Gateway:Async</c>); the retry settings serve the event connectors too.</summary>
public sealed class AsyncOptions
{
    /// <summary>NATS with JetStream (e.g. <c>nats://127.0.0.1:4222</c>, credentials allowed in the URL); without it an in-process queue serves, which is not durable. <c>FAAS_NATS_URL</c> also sets it.</summary>
    public string? NatsUrl { get; set; } = Environment.GetEnvironmentVariable("FAAS_NATS_URL");

    /// <summary>Requests the queue worker invokes at once (OpenFaaS' <c>max_inflight</c>).</summary>
    public int MaxInflight { get; set; } = 16;

    /// <summary>Attempts before a request goes to the dead-letter stream.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry delay; it doubles each attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait after failed attempt <paramref name="attempt"/> (from 1): <see cref="RetryDelay"/> doubling up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelayAfter(long attempt) =>
        TimeSpan.FromTicks(Math.Min(RetryDelay.Ticks << (int)Math.Clamp(attempt - 1, 0, 20), MaxRetryDelay.Ticks));

    /// <summary>How long a taken request may go without word from its worker before it is handed out again.</summary>
    public TimeSpan AckWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a request may wait for NATS to store it (or to answer any other queue operation) before it is answered 503.</summary>
    public TimeSpan EnqueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The largest body accepted (bodies above NATS' max_payload are stored in chunks); larger is 413. Also the largest
    /// response the gateway holds for a call it makes itself (see <see cref="Calls.InternalInvoker"/>).
    /// </summary>
    public long MaxBodySize { get; set; } = 10L << 20;

    /// <summary>When set, the only networks (CIDR, or single addresses) a callback may reach; otherwise any not denied.</summary>
    public string[]? CallbackAllowedNetworks { get; set; }

    /// <summary>Networks a callback may never reach; unset, the link-local, metadata and reserved ones (see <c>CallbackTargets</c>).</summary>
    public string[]? CallbackDeniedNetworks { get; set; }

    /// <summary>Whether this gateway runs the queue worker (turn off to run workers as separate processes).</summary>
    public bool RunWorker { get; set; } = true;
}
