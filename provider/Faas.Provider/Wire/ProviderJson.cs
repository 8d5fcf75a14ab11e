using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>
/// Source-generated JSON for the wire types. Go's <c>omitempty</c> is mirrored by omitting defaults
/// (nulls, zeros, false); fields Go always writes are marked <see cref="JsonIgnoreCondition.Never"/>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(FunctionDeployment))]
[JsonSerializable(typeof(FunctionStatus))]
[JsonSerializable(typeof(List<FunctionStatus>))]
[JsonSerializable(typeof(ScaleServiceRequest))]
[JsonSerializable(typeof(DeleteFunctionRequest))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(List<Secret>))]
[JsonSerializable(typeof(LogMessage))]
[JsonSerializable(typeof(ProviderInfo))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class ProviderJson : JsonSerializerContext;
