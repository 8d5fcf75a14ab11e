namespace Faas.Provider.Kubernetes.Api;

/// <summary>discovery.k8s.io/v1 EndpointSlice: a Service's pod addresses, labelled <c>kubernetes.io/service-name</c>.</summary>
public sealed record EndpointSlice
{
    public string ApiVersion { get; init; } = "discovery.k8s.io/v1";

    public string Kind { get; init; } = "EndpointSlice";

    public ObjectMeta Metadata { get; init; } = new();

    public string AddressType { get; init; } = "IPv4";

    public List<Endpoint>? Endpoints { get; init; }

    public List<EndpointPort>? Ports { get; init; }
}

public sealed record Endpoint
{
    public List<string> Addresses { get; init; } = [];

    public EndpointConditions? Conditions { get; init; }

    public ObjectReference? TargetRef { get; init; }
}

public sealed record EndpointConditions
{
    /// <summary>Null means ready (the API's rule for an unknown state).</summary>
    public bool? Ready { get; init; }

    public bool? Serving { get; init; }

    public bool? Terminating { get; init; }
}

public sealed record EndpointPort
{
    public string? Name { get; init; }

    public int? Port { get; init; }

    public string? Protocol { get; init; }
}

public sealed record ObjectReference
{
    public string? Kind { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }
}
