using System.Text.Json.Nodes;

namespace Faas.Testing.Kubernetes;

/// <summary>The API server's meta/v1 Status bodies, worded as the real server words them.</summary>
public static class StatusBodies
{
    public static JsonObject Failure(int code, string reason, string message, string? name = null, string? group = null, string? kind = null, JsonArray? causes = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (name is not null || causes is not null)
        {
            var details = new JsonObject { ["name"] = name, ["kind"] = kind };
            if (group is { Length: > 0 })
            {
                details["group"] = group;
            }

            if (causes is not null)
            {
                details["causes"] = causes;
            }

            status["details"] = details;
        }

        return status;
    }

    public static JsonObject Success(string name, string group, string kind) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kind },
    };

    public static JsonObject NotFound(ResourceType type, string name) =>
        Failure(404, "NotFound", $"{type.Qualified} \"{name}\" not found", name, type.Group, type.Plural);

    public static JsonObject AlreadyExists(ResourceType type, string name) =>
        Failure(409, "AlreadyExists", $"{type.Qualified} \"{name}\" already exists", name, type.Group, type.Plural);

    public static JsonObject Conflict(ResourceType type, string name) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.Qualified} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", name, type.Group, type.Plural);

    public static JsonObject Invalid(ResourceType type, string name, string field, string detail) =>
        Failure(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {field}: {detail}", name, type.Group, type.Kind,
            [new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = detail, ["field"] = field }]);

    public static JsonObject Gone(long requested, long oldest) =>
        Failure(410, "Expired", $"too old resource version: {requested} ({oldest})");
}

/// <summary>A resource the double serves: its API group, version, kind, and whether it lives in namespaces.</summary>
public sealed record ResourceType(string Plural, string Group, string Version, string Kind, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>How messages name it: <c>deployments.apps</c>, <c>services</c>.</summary>
    public string Qualified => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public static readonly ResourceType[] All =
    [
        new("deployments", "apps", "v1", "Deployment", true),
        new("services", "", "v1", "Service", true),
        new("secrets", "", "v1", "Secret", true),
        new("pods", "", "v1", "Pod", true),
        new("namespaces", "", "v1", "Namespace", false),
        new("endpointslices", "discovery.k8s.io", "v1", "EndpointSlice", true),
    ];
}
