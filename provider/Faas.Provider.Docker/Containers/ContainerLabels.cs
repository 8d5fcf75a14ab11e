namespace Faas.Provider.Docker.Containers;

/// <summary>
/// The labels that make the engine the backend's record: every object this backend creates carries
/// <see cref="Managed"/>, its function and namespace, and what it is.
/// </summary>
public static class ContainerLabels
{
    public const string Managed = "com.faas.managed";

    public const string Function = "com.faas.function";

    public const string Namespace = "com.faas.namespace";

    /// <summary><see cref="ReplicaRole"/> on containers, <see cref="DefinitionRole"/> on the volume that holds a function's definition.</summary>
    public const string Role = "com.faas.role";

    public const string ReplicaRole = "replica";

    public const string DefinitionRole = "definition";

    /// <summary>Which definition a replica runs (a hash of it), so a restarted backend tells current replicas from a rolling update's leftovers.</summary>
    public const string Version = "com.faas.version";

    /// <summary>The host port the replica's watchdog answers on (on 127.0.0.1).</summary>
    public const string Port = "com.faas.port";

    /// <summary>The deployment, as JSON, on the definition volume.</summary>
    public const string Deployment = "com.faas.deployment";

    public const string CreatedAt = "com.faas.created";

    public static string[] Of(FunctionKey key) => [$"{Managed}=true", $"{Function}={key.Name}", $"{Namespace}={key.Namespace}"];

    /// <summary>The Engine's list filter for objects carrying every one of <paramref name="labels"/> (<c>key=value</c> or <c>key</c>).</summary>
    public static IDictionary<string, IDictionary<string, bool>> Filter(params IEnumerable<string> labels) =>
        new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels.ToDictionary(label => label, _ => true) };

    /// <summary>Every replica container of this backend.</summary>
    public static IDictionary<string, IDictionary<string, bool>> Replicas() => Filter($"{Managed}=true", $"{Role}={ReplicaRole}");

    /// <summary>The replica containers of one function.</summary>
    public static IDictionary<string, IDictionary<string, bool>> ReplicasOf(FunctionKey key) => Filter([.. Of(key), $"{Role}={ReplicaRole}"]);
}
