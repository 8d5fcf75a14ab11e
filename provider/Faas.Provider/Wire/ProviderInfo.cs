using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

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
