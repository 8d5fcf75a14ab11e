namespace Faas.Gateway.Configuration;

/// <summary>Gateway settings, bound from configuration (section <c>Gateway</c>, or <c>FAAS_GATEWAY__*</c> environment variables).</summary>
public sealed class GatewayOptions
{
    /// <summary>Where the local backend keeps its state (<c>FAAS_STATE_DIR</c> wins).</summary>
    public string StateDirectory { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".faas");

    /// <summary>The watchdog executable replicas run; by default the one next to the gateway.</summary>
    public string WatchdogPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "watchdog");

    /// <summary>The longest an invocation may take end to end (OpenFaaS' <c>upstream_timeout</c>).</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Where <c>basic_auth_user</c>/<c>basic_auth_password</c> files are looked for (OpenFaaS' <c>secret_mount_path</c>).</summary>
    public string? SecretsDirectory { get; set; } = Environment.GetEnvironmentVariable("secret_mount_path");

    /// <summary>Watchdogs the local backend keeps started ahead of demand.</summary>
    public int StandbyReplicas { get; set; } = 1;
}
