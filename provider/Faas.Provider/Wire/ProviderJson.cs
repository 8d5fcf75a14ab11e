using System.Text.Json.Serialization;

namespace Faas.Provider.Wire;

/// <summary>
/// Source-generated JSON for the wire types. Go's <c>omitempty</c> is mirrored by omitting defaults
/// (nulls, zeros, false); fields Go always writes are marked <see cref="JsonIgnoreCondition.Never"/>; times are
/// written as Go writes them. <see cref="Wire"/> also escapes strings as Go does, for what the gateway answers.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, Converters = [typeof(GoTimeConverter)])]
[JsonSerializable(typeof(FunctionDeployment))]
[JsonSerializable(typeof(FunctionStatus))]
[JsonSerializable(typeof(List<FunctionStatus>))]
[JsonSerializable(typeof(ScaleServiceRequest))]
[JsonSerializable(typeof(DeleteFunctionRequest))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(List<Secret>))]
[JsonSerializable(typeof(LogMessage))]
[JsonSerializable(typeof(ProviderInfo))]
[JsonSerializable(typeof(FunctionNamespace))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class ProviderJson : JsonSerializerContext
{
    /// <summary>The wire types written byte for byte as OpenFaaS' Go servers write them.</summary>
    public static ProviderJson Wire { get; } = new(WireOptions());

    /// <summary>Options for a context whose output must match Go's <c>encoding/json</c> (see <see cref="GoJsonEncoder"/>).</summary>
    public static System.Text.Json.JsonSerializerOptions WireOptions() => new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
        Encoder = GoJsonEncoder.Instance,
        Converters = { new GoTimeConverter() },
    };
}
