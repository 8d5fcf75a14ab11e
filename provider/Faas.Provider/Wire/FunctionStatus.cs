using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>
/// faas-provider <c>FunctionStatus</c>: one function in GET <c>/system/functions</c> and <c>/system/function/NAME</c>.
/// <c>restarts</c>, <c>lastExit</c> and <c>crashLooping</c> are this project's additions (omitted when empty, so
/// OpenFaaS clients never see them unless something is wrong).
/// </summary>
public sealed record FunctionStatus
{
    /// <summary>The label every backend reports, naming the function (as faas-netes and faasd do).</summary>
    public const string FunctionLabel = "faas_function";

    /// <summary>
    /// The status fields a deployment defines (the same on every backend); backends add replicas and health. Labels
    /// and annotations are always objects: OpenFaaS' Go clients dereference them without checking.
    /// </summary>
    public static FunctionStatus Of(FunctionDeployment deployment, DateTimeOffset createdAt) => new()
    {
        Name = deployment.Service,
        Image = deployment.Image,
        Namespace = deployment.Namespace,
        EnvProcess = deployment.EnvProcess,
        EnvVars = NullIfEmpty(deployment.EnvVars),
        Constraints = deployment.Constraints is { Count: > 0 } ? deployment.Constraints : null,
        Secrets = deployment.Secrets is { Count: > 0 } ? deployment.Secrets : null,
        Labels = new Dictionary<string, string>(deployment.Labels ?? [], StringComparer.Ordinal) { [FunctionLabel] = deployment.Service },
        Annotations = new Dictionary<string, string>(deployment.Annotations ?? [], StringComparer.Ordinal),
        Limits = deployment.Limits,
        Requests = deployment.Requests,
        ReadOnlyRootFilesystem = deployment.ReadOnlyRootFilesystem,
        CreatedAt = createdAt,
    };


    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; init; } = "";

    [JsonPropertyName("image")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Image { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("envProcess")]
    public string? EnvProcess { get; init; }

    [JsonPropertyName("envVars")]
    public Dictionary<string, string>? EnvVars { get; init; }

    [JsonPropertyName("constraints")]
    public List<string>? Constraints { get; init; }

    [JsonPropertyName("secrets")]
    public List<string>? Secrets { get; init; }

    [JsonPropertyName("labels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Dictionary<string, string> Labels { get; init; } = [];

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Dictionary<string, string> Annotations { get; init; } = [];

    [JsonPropertyName("limits")]
    public FunctionResources? Limits { get; init; }

    [JsonPropertyName("requests")]
    public FunctionResources? Requests { get; init; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    public bool ReadOnlyRootFilesystem { get; init; }

    [JsonPropertyName("invocationCount")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double InvocationCount { get; init; }

    /// <summary>Desired replicas.</summary>
    [JsonPropertyName("replicas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ulong Replicas { get; init; }

    /// <summary>Replicas ready to serve.</summary>
    [JsonPropertyName("availableReplicas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ulong AvailableReplicas { get; init; }

    [JsonPropertyName("createdAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("restarts")]
    public int Restarts { get; init; }

    [JsonPropertyName("lastExit")]
    public string? LastExit { get; init; }

    [JsonPropertyName("crashLooping")]
    public bool CrashLooping { get; init; }

    /// <summary>Autoscaling, for functions with a scaling policy (added by the gateway).</summary>
    [JsonPropertyName("scaling")]
    public FunctionScaling? Scaling { get; init; }

    private static Dictionary<string, string>? NullIfEmpty(Dictionary<string, string>? map) => map is { Count: > 0 } ? map : null;
}
