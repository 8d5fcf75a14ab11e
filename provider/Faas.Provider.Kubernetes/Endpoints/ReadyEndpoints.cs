using Faas.Provider.Kubernetes.Objects;
using k8s.Models;

namespace Faas.Provider.Kubernetes.Endpoints;

/// <summary>
/// A function's ready pod addresses from its Service's EndpointSlices (the gateway balances across pods directly, one hop
/// fewer than through the Service). A dual-stack Service has an IPv4 and an IPv6 slice listing the same pods, so one
/// family is used: IPv4 while any is ready, else IPv6. FQDN slices (made by hand for endpoints outside the
/// cluster) are used as they are.
/// </summary>
internal static class ReadyEndpoints
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    public static IReadOnlyList<ReplicaEndpoint> Of(string service, IEnumerable<V1EndpointSlice> slices)
    {
        var own = slices.Where(slice => ServiceOf(slice) == service).OrderBy(slice => slice.Metadata.Name, StringComparer.Ordinal).ToList();
        var v4 = own.Where(slice => slice.AddressType == "IPv4").SelectMany(Ready).ToList();
        var family = v4.Count > 0 ? v4 : [.. own.Where(slice => slice.AddressType == "IPv6").SelectMany(Ready)];
        return [.. family, .. own.Where(slice => slice.AddressType == "FQDN").SelectMany(Ready)];
    }

    public static string? ServiceOf(V1EndpointSlice slice) => slice.Metadata.Labels is { } labels && labels.TryGetValue(ServiceNameLabel, out var service) ? service : null;

    /// <summary>Where slices cannot be read (forbidden by RBAC): the Service's DNS name, and the cluster balances.</summary>
    public static ReplicaEndpoint ServiceName(FunctionKey function) =>
        new(function.Name, $"{function.Name}.{function.Namespace}.svc.cluster.local", FunctionObjects.WatchdogPort);

    /// <summary>Endpoints whose <c>ready</c> condition is true or unknown (null counts as ready, per the API).</summary>
    private static IEnumerable<ReplicaEndpoint> Ready(V1EndpointSlice slice)
    {
        var port = slice.Ports?.FirstOrDefault(p => p.Name == "http")?.Port ?? slice.Ports?.FirstOrDefault()?.Port ?? FunctionObjects.WatchdogPort;
        return (slice.Endpoints ?? []).Where(endpoint => endpoint.Conditions?.Ready != false)
            .SelectMany(endpoint => endpoint.Addresses.Select(address => new ReplicaEndpoint(endpoint.TargetRef?.Name ?? address, address, port)));
    }
}
