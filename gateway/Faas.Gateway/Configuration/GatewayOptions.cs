namespace Faas.Gateway.Configuration;

/// <summary>Gateway settings, bound from configuration (section <c>Gateway</c>: <c>--Gateway:NAME=VALUE</c> or <c>Gateway__NAME</c> environment variables).</summary>
public sealed class GatewayOptions
{
    /// <summary>Where the local backend keeps its state (<c>FAAS_STATE_DIR</c> wins).</summary>
    public string StateDirectory { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".faas");

    /// <summary>
    /// The longest an invocation may take (OpenFaaS' <c>upstream_timeout</c>): the timeout of functions without a
    /// <c>faas.timeout</c> of their own and the bound on those with one.
    /// </summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether a request for a function at zero replicas scales it up and waits (OpenFaaS' <c>scale_from_zero</c>).</summary>
    public bool ScaleFromZero { get; set; } = true;

    /// <summary>How long a request waits for a function to get a ready replica before it is answered 503.</summary>
    public TimeSpan ScaleFromZeroTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest request body an invocation may send; larger is 413. Null for no limit.</summary>
    public long? MaxRequestBodySize { get; set; } = 1L << 30;

    /// <summary>Where finished invocation spans go (an OpenTelemetry collector's OTLP endpoint); <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> also sets it.</summary>
    public string? OtlpEndpoint { get; set; } = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");

    /// <summary>Where <c>basic_auth_user</c>/<c>basic_auth_password</c> files are looked for (OpenFaaS' <c>secret_mount_path</c>).</summary>
    public string? SecretsDirectory { get; set; } = Environment.GetEnvironmentVariable("secret_mount_path");

    /// <summary>Whether invoking functions needs the admin credentials too (the admin API always does).</summary>
    public bool AuthenticateInvocations { get; set; }

    /// <summary>The web dashboard (section <c>Gateway:Dashboard</c>).</summary>
    public DashboardOptions Dashboard { get; set; } = new();

    /// <summary>
    /// A built function store (<c>faas store build --output DIR</c>: its <c>functions.json</c> and bundles) that
    /// <c>/system/store</c> lists and deploys from; <c>FAAS_STORE_DIR</c> sets it too. None: the store API answers 404.
    /// </summary>
    public string? StoreDirectory { get; set; } = Environment.GetEnvironmentVariable("FAAS_STORE_DIR");

    /// <summary>The autoscaler (section <c>Gateway:Autoscaling</c>).</summary>
    public AutoscalingOptions Autoscaling { get; set; } = new();

    /// <summary>
    /// Which backend runs replicas: <c>local</c> (processes, the default), <c>docker</c> (containers) or
    /// <c>kubernetes</c>; each reads its own section (<c>Gateway:Local</c>, <c>Gateway:Docker</c>, <c>Gateway:Kubernetes</c>).
    /// </summary>
    public string Provider { get; set; } = "local";

    /// <summary>
    /// What sends invocations to replicas: <c>own</c> (the default, the faster on this path) or <c>yarp</c> (YARP's
    /// <c>IHttpForwarder</c>); bench scenario <c>yarp</c> measures both side by side.
    /// </summary>
    public string Forwarder { get; set; } = "own";

    /// <summary>
    /// Whether ordinary invocations skip Kestrel's HttpContext pipeline (see <see cref="Faas.Gateway.Invoke.FastPath.InvokeFastPath"/>):
    /// the same answers, for less CPU per request. Off, every request takes Kestrel's path.
    /// </summary>
    public bool FastPath { get; set; } = true;

    /// <summary>
    /// Whether the gateway's own threads run SCHED_BATCH, so that waking it does not preempt the sender (a watchdog,
    /// a client) on a busy machine. Replicas are started with the policy the gateway was started with. Program reads
    /// it before the host starts its threads; it is bound here too, so a wrong value is reported like any other.
    /// </summary>
    public bool SchedBatch { get; set; } = true;

    /// <summary>
    /// How often the gateway checks whether it has gone quiet after serving, to give the heap a burst left behind back
    /// to the system (<see cref="Faas.Proxy.IdleMemoryReturn"/>); zero turns it off.
    /// </summary>
    public TimeSpan IdleMemoryCheck { get; set; } = TimeSpan.FromSeconds(5);
}
