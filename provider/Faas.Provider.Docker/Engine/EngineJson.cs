using System.Text.Json.Serialization;

namespace Faas.Provider.Docker.Engine;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(EngineVersion))]
[JsonSerializable(typeof(ContainerSpec))]
[JsonSerializable(typeof(CreatedContainer))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerDetails))]
[JsonSerializable(typeof(WaitResult))]
[JsonSerializable(typeof(EngineError))]
[JsonSerializable(typeof(ProgressLine))]
[JsonSerializable(typeof(ImageDetails))]
[JsonSerializable(typeof(VolumeSpec))]
[JsonSerializable(typeof(VolumeList))]
[JsonSerializable(typeof(NetworkSpec))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class EngineJson : JsonSerializerContext;
