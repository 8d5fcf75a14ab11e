namespace Faas.Gateway.Configuration;

/// <summary>Gateway settings, bound from configuration (section <c>Gateway</c>: <c>--Gateway:NAME=VALUE</c> or <c>Gateway__NAME</c> environment variables).</summary>
public sealed class GatewayOptions
{
    /// <summary>Where the local backend keeps its state (<c>FAAS_STATE_DIR</c> wins).</summary>
    public string StateDirectory { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".faas");

    /// <summary>The watchdog executable replicas run; by default the one next to the gateway.</summary>
    public string WatchdogPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "watchdog");

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

    /// <summary>The autoscaler (section <c>Gateway:Autoscaling</c>).</summary>
    public Faas.Gateway.Scaling.AutoscalingOptions Autoscaling { get; set; } = new();

    /// <summary>Which backend runs replicas: <c>local</c> (processes, the default), <c>docker</c> (containers) or <c>kubernetes</c>.</summary>
    public string Provider { get; set; } = "local";

    /// <summary>The Docker Engine's socket (Docker backend).</summary>
    public string DockerSocket { get; set; } = Environment.GetEnvironmentVariable("DOCKER_HOST") is { } host && host.StartsWith("unix://", StringComparison.Ordinal)
        ? host["unix://".Length..] : Faas.Provider.Docker.Engine.DockerEngine.DefaultSocket;

    /// <summary>The Docker backend's network: <c>host</c> (loopback ports) or a bridge network's name (ports published on 127.0.0.1).</summary>
    public string DockerNetwork { get; set; } = Faas.Provider.Docker.DockerProviderOptions.HostNetwork;

    /// <summary>The Kubernetes backend's kubeconfig; null for <c>$KUBECONFIG</c>, <c>~/.kube/config</c>, then in-cluster.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The label (<c>key=value</c>) that marks the namespaces the Kubernetes backend puts functions in.</summary>
    public string FunctionNamespaceLabel { get; set; } = "openfaas=1";

    /// <summary>
    /// Whether the gateway's own threads run SCHED_BATCH, so that waking it does not preempt the sender (a watchdog,
    /// a client) on a busy machine. Replicas are started with the policy the gateway was started with. Program reads
    /// it before the host starts its threads; it is bound here too, so a wrong value is reported like any other.
    /// </summary>
    public bool SchedBatch { get; set; } = true;

    /// <summary>Whether the local backend runs each replica in a sandbox of its own (bubblewrap), where one can be made.</summary>
    public bool Sandbox { get; set; } = true;

    /// <summary>The user (<c>UID[:GID]</c>) local replicas run as when the gateway runs as root.</summary>
    public string FunctionUser { get; set; } = "65534:65534";

    /// <summary>Host paths sandboxed functions may read although they are in a hidden directory such as <c>/home</c>.</summary>
    public List<string> SandboxReadOnlyPaths { get; set; } = [];

    /// <summary>Watchdogs the local backend keeps started ahead of demand.</summary>
    public int StandbyReplicas { get; set; } = 1;
}
