namespace Faas.Provider.Docker;

/// <summary>Settings of the Docker backend (section <c>Gateway:Docker</c>), on top of those of every host backend.</summary>
public sealed class DockerProviderOptions : Host.HostProviderOptions
{
    /// <summary>The Engine's unix socket: <c>DOCKER_HOST</c> when it names one, else the default.</summary>
    public string Socket { get; set; } = Faas.Docker.DockerEndpoint.SocketFromEnvironment();

    /// <summary>
    /// A user-defined bridge network (created if missing; <c>faas</c> by default) with each replica's port 8080
    /// published on 127.0.0.1, so every replica has a network namespace of its own and an image's fixed ports never
    /// collide. <c>host</c>: replicas share the host's network, each watchdog on a loopback port of its own (faster,
    /// but only for images that take their ports from the environment).
    /// </summary>
    public string Network { get; set; } = DefaultNetwork;

    public const string DefaultNetwork = "faas";

    public const string HostNetwork = "host";

    /// <summary>Size of the writable tmpfs at <c>/tmp</c> of a read-only container.</summary>
    public string TmpfsSize { get; set; } = "64m";

    public bool IsHostNetwork => Network == HostNetwork;
}
