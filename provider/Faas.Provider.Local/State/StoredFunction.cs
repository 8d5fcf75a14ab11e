using System.Text.Json.Serialization;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.State;

/// <summary>What survives a restart for one function: its definition, when it was created, and its desired replicas.</summary>
public sealed record StoredFunction(FunctionDeployment Deployment, DateTimeOffset CreatedAt, int Replicas)
{
    public FunctionKey Key => new(Deployment.Service, Deployment.Namespace!);
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(StoredFunction))]
[JsonSerializable(typeof(Bundles.BundleManifest))]
internal sealed partial class LocalJson : JsonSerializerContext;
