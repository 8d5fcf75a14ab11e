using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>faas-provider <c>ScaleServiceRequest</c>: the body of POST <c>/system/scale-function/NAME</c>.</summary>
public sealed record ScaleServiceRequest
{
    [JsonPropertyName("serviceName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string ServiceName { get; init; } = "";

    [JsonPropertyName("replicas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ulong Replicas { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}

/// <summary>faas-provider <c>DeleteFunctionRequest</c>: the body of DELETE <c>/system/functions</c>.</summary>
public sealed record DeleteFunctionRequest
{
    [JsonPropertyName("functionName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string FunctionName { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}

/// <summary>faas-provider <c>Secret</c>. Listing never fills <see cref="Value"/> or <see cref="RawValue"/>.</summary>
public sealed record Secret
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }

    /// <summary>Binary value, base64 in JSON (Go's []byte).</summary>
    [JsonPropertyName("rawValue")]
    public byte[]? RawValue { get; init; }
}

/// <summary>faas-provider <c>logs.Message</c>: one line of a function's output, one JSON object per line on the wire.</summary>
public sealed record LogMessage
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Namespace { get; init; } = "";

    [JsonPropertyName("instance")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Instance { get; init; } = "";

    [JsonPropertyName("timestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset Timestamp { get; init; }

    [JsonPropertyName("text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Text { get; init; } = "";
}

/// <summary>faas-provider <c>ProviderInfo</c>, served (with the gateway's version) on <c>/system/info</c>.</summary>
public sealed record ProviderInfo
{
    [JsonPropertyName("provider")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Provider { get; init; } = "";

    [JsonPropertyName("version")]
    public VersionInfo? Version { get; init; }

    [JsonPropertyName("orchestration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Orchestration { get; init; } = "";
}

public sealed record VersionInfo
{
    /// <summary>The release and commit the build stamped into <paramref name="assembly"/>.</summary>
    public static VersionInfo Of(System.Reflection.Assembly assembly)
    {
        var version = Faas.Conventions.BuildVersion.Of(assembly);
        return new VersionInfo { Release = version.Release, Sha = version.Commit };
    }

    [JsonPropertyName("commit_message")]
    public string? CommitMessage { get; init; }

    [JsonPropertyName("sha")]
    public string? Sha { get; init; }

    [JsonPropertyName("release")]
    public string? Release { get; init; }
}
