using System.Text.Json.Serialization;

namespace Faas.Provider.Kubernetes.Api;

/// <summary>The API's JSON: camelCase field names, unset fields omitted.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(KubeList<Deployment>))]
[JsonSerializable(typeof(WatchEvent<Deployment>))]
[JsonSerializable(typeof(Scale))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(KubeList<Service>))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(KubeList<Secret>))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubeList<Namespace>))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(EndpointSlice))]
[JsonSerializable(typeof(KubeList<EndpointSlice>))]
[JsonSerializable(typeof(WatchEvent<EndpointSlice>))]
[JsonSerializable(typeof(WatchEvent<ObjectHeader>))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
public sealed partial class KubeJson : JsonSerializerContext;
