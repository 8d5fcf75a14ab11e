using System.Text.Json.Serialization;

namespace Faas.Provider.Docker.Engine;

public sealed record EngineVersion
{
    [JsonPropertyName("Version")]
    public string Version { get; init; } = "";

    [JsonPropertyName("ApiVersion")]
    public string ApiVersion { get; init; } = "";

    [JsonPropertyName("MinAPIVersion")]
    public string MinApiVersion { get; init; } = "";

    [JsonPropertyName("Os")]
    public string Os { get; init; } = "";
}

/// <summary>The body of <c>POST /containers/create</c> (the fields this backend sets).</summary>
public sealed record ContainerSpec
{
    [JsonPropertyName("Image")]
    public required string Image { get; init; }

    [JsonPropertyName("Cmd")]
    public List<string>? Cmd { get; init; }

    [JsonPropertyName("Entrypoint")]
    public List<string>? Entrypoint { get; init; }

    /// <summary><c>NAME=value</c> entries.</summary>
    [JsonPropertyName("Env")]
    public List<string>? Env { get; init; }

    [JsonPropertyName("Labels")]
    public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("User")]
    public string? User { get; init; }

    /// <summary><c>8080/tcp</c> → {} for ports a bridge-networked container publishes.</summary>
    [JsonPropertyName("ExposedPorts")]
    public Dictionary<string, EmptyObject>? ExposedPorts { get; init; }

    [JsonPropertyName("HostConfig")]
    public HostConfig? HostConfig { get; init; }
}

/// <summary>The <c>{}</c> the Engine uses as a set member.</summary>
public sealed record EmptyObject;

public sealed record HostConfig
{
    /// <summary><c>host</c> (the default here) or a network's name.</summary>
    [JsonPropertyName("NetworkMode")]
    public string? NetworkMode { get; init; }

    /// <summary><c>/host/path:/container/path:ro</c> entries.</summary>
    [JsonPropertyName("Binds")]
    public List<string>? Binds { get; init; }

    [JsonPropertyName("ReadonlyRootfs")]
    public bool ReadonlyRootfs { get; init; }

    /// <summary>Mount point → options, e.g. <c>/tmp</c> → <c>rw,size=64m</c>.</summary>
    [JsonPropertyName("Tmpfs")]
    public Dictionary<string, string>? Tmpfs { get; init; }

    [JsonPropertyName("Memory")]
    public long Memory { get; init; }

    [JsonPropertyName("MemoryReservation")]
    public long MemoryReservation { get; init; }

    [JsonPropertyName("NanoCpus")]
    public long NanoCpus { get; init; }

    /// <summary>Relative CPU weight under contention (1024 = one CPU's share), from a function's CPU request.</summary>
    [JsonPropertyName("CpuShares")]
    public long CpuShares { get; init; }

    /// <summary><c>8080/tcp</c> → where it is published on the host (bridge networks only).</summary>
    [JsonPropertyName("PortBindings")]
    public Dictionary<string, List<PortBinding>>? PortBindings { get; init; }
}

public sealed record PortBinding
{
    [JsonPropertyName("HostIp")]
    public string HostIp { get; init; } = "";

    [JsonPropertyName("HostPort")]
    public string HostPort { get; init; } = "";
}

public sealed record CreatedContainer
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Warnings")]
    public List<string>? Warnings { get; init; }
}

/// <summary>One entry of <c>GET /containers/json</c>.</summary>
public sealed record ContainerSummary
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Names")]
    public List<string> Names { get; init; } = [];

    [JsonPropertyName("Image")]
    public string Image { get; init; } = "";

    [JsonPropertyName("State")]
    public string State { get; init; } = "";

    [JsonPropertyName("Labels")]
    public Dictionary<string, string> Labels { get; init; } = [];
}

public sealed record ContainerState
{
    [JsonPropertyName("Status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("Running")]
    public bool Running { get; init; }

    [JsonPropertyName("ExitCode")]
    public int ExitCode { get; init; }

    [JsonPropertyName("Pid")]
    public int Pid { get; init; }
}

public sealed record ContainerDetails
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("State")]
    public ContainerState State { get; init; } = new();

    [JsonPropertyName("Config")]
    public ContainerSpecEcho Config { get; init; } = new();

    [JsonPropertyName("HostConfig")]
    public HostConfig? HostConfig { get; init; }
}

/// <summary>The parts of a container's config that come back on inspect.</summary>
public sealed record ContainerSpecEcho
{
    [JsonPropertyName("Image")]
    public string Image { get; init; } = "";

    [JsonPropertyName("Env")]
    public List<string>? Env { get; init; }

    [JsonPropertyName("Labels")]
    public Dictionary<string, string>? Labels { get; init; }
}

public sealed record WaitResult
{
    [JsonPropertyName("StatusCode")]
    public int StatusCode { get; init; }
}

public sealed record EngineError
{
    [JsonPropertyName("message")]
    public string Message { get; init; } = "";
}

/// <summary>A line of a streamed progress report (import, build, push): text, or an error.</summary>
public sealed record ProgressLine
{
    [JsonPropertyName("stream")]
    public string? Stream { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("aux")]
    public System.Text.Json.JsonElement? Aux { get; init; }
}

/// <summary>Which stream a log line came from, per the multiplexed framing's first byte.</summary>
public enum LogStream
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
}

public sealed record LogFrame(LogStream Stream, byte[] Data);
