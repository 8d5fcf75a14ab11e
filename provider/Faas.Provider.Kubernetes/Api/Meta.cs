using System.Text.Json.Serialization;

namespace Faas.Provider.Kubernetes.Api;

/// <summary>meta/v1 ObjectMeta: the fields this backend reads and writes.</summary>
public sealed record ObjectMeta
{
    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }

    /// <summary>Opaque; sent back unchanged on a replace so that a concurrent change is a 409, not a lost update.</summary>
    public string? ResourceVersion { get; init; }

    public string? Uid { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public long? Generation { get; init; }
}

public sealed record ListMeta
{
    public string? ResourceVersion { get; init; }

    public string? Continue { get; init; }
}

/// <summary>meta/v1 LabelSelector (matchLabels only: what function objects use).</summary>
public sealed record LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; init; }
}

/// <summary>meta/v1 Status: the body of every API error.</summary>
public sealed record Status
{
    public string? Kind { get; init; } = "Status";

    public string? ApiVersion { get; init; } = "v1";

    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    [JsonPropertyName("status")]
    public string? Outcome { get; init; }

    public string? Message { get; init; }

    /// <summary>NotFound, AlreadyExists, Conflict, Invalid, Gone, BadRequest, ...</summary>
    public string? Reason { get; init; }

    public StatusDetails? Details { get; init; }

    public int Code { get; init; }
}

public sealed record StatusDetails
{
    public string? Name { get; init; }

    public string? Group { get; init; }

    public string? Kind { get; init; }

    public List<StatusCause>? Causes { get; init; }
}

public sealed record StatusCause
{
    public string? Reason { get; init; }

    public string? Message { get; init; }

    public string? Field { get; init; }
}

/// <summary>A list of objects of one kind, as every list endpoint answers.</summary>
public sealed record KubeList<T>
{
    public string? Kind { get; init; }

    public string? ApiVersion { get; init; }

    public ListMeta Metadata { get; init; } = new();

    public List<T> Items { get; init; } = [];
}

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (then the object is a Status).</summary>
public sealed record WatchEvent<T>
{
    public string Type { get; init; } = "";

    public T? Object { get; init; }
}

/// <summary>The object of any watch event, read for its metadata alone (a BOOKMARK carries only a resourceVersion; an ERROR a Status).</summary>
public sealed record ObjectHeader
{
    public string? Kind { get; init; }

    public ObjectMeta? Metadata { get; init; }

    public int Code { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }
}
