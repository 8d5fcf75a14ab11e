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
    public string Name { get; set; } = "";

    [JsonPropertyName("image")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Image { get; set; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("envProcess")]
    public string? EnvProcess { get; set; }

    [JsonPropertyName("envVars")]
    public Dictionary<string, string>? EnvVars { get; set; }

    [JsonPropertyName("constraints")]
    public List<string>? Constraints { get; set; }

    [JsonPropertyName("secrets")]
    public List<string>? Secrets { get; set; }

    [JsonPropertyName("labels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Dictionary<string, string> Labels { get; set; } = [];

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Dictionary<string, string> Annotations { get; set; } = [];

    [JsonPropertyName("limits")]
    public FunctionResources? Limits { get; set; }

    [JsonPropertyName("requests")]
    public FunctionResources? Requests { get; set; }

    [JsonPropertyName("readOnlyRootFilesystem")]
    public bool ReadOnlyRootFilesystem { get; set; }

    [JsonPropertyName("invocationCount")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double InvocationCount { get; set; }

    /// <summary>Desired replicas.</summary>
    [JsonPropertyName("replicas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ulong Replicas { get; set; }

    /// <summary>Replicas ready to serve.</summary>
    [JsonPropertyName("availableReplicas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ulong AvailableReplicas { get; set; }

    [JsonPropertyName("createdAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset CreatedAt { get; set; }

    [JsonPropertyName("restarts")]
    public int Restarts { get; set; }

    [JsonPropertyName("lastExit")]
    public string? LastExit { get; set; }

    [JsonPropertyName("crashLooping")]
    public bool CrashLooping { get; set; }

    /// <summary>Autoscaling, for functions with a scaling policy (added by the gateway).</summary>
    [JsonPropertyName("scaling")]
    public FunctionScaling? Scaling { get; set; }

    private static Dictionary<string, string>? NullIfEmpty(Dictionary<string, string>? map) => map is { Count: > 0 } ? map : null;
}
