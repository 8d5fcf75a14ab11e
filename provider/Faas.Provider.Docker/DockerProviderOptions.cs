namespace Faas.Provider.Docker;

/// <summary>Settings of the Docker backend (section <c>Gateway:Docker</c>), on top of those of every host backend.</summary>
public sealed class DockerProviderOptions : Host.HostProviderOptions
{
    /// <summary>The Engine's unix socket: <c>DOCKER_HOST</c> when it names one, else the default.</summary>
    public string Socket { get; set; } = Faas.Docker.DockerEndpoint.SocketFromEnvironment();

    /// <summary>
    /// <c>host</c> (the default): replicas share the host's network, each watchdog on a loopback port of its own.
    /// Any other value is a user-defined bridge network (created if missing) with each replica's port 8080
    /// published on 127.0.0.1.
    /// </summary>
    public string Network { get; set; } = HostNetwork;

    public const string HostNetwork = "host";

    /// <summary>Size of the writable tmpfs at <c>/tmp</c> of a read-only container.</summary>
    public string TmpfsSize { get; set; } = "64m";

    public bool IsHostNetwork => Network == HostNetwork;
}
