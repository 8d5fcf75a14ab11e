using System.Globalization;
using System.Text.Json;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker.Definitions;

/// <summary>A deployed function's definition and when it was first deployed.</summary>
public sealed record FunctionDefinition(FunctionDeployment Deployment, DateTimeOffset CreatedAt)
{
    public FunctionKey Key => new(Deployment.Service, Deployment.Namespace!);

    public string Json { get; } = JsonSerializer.Serialize(Deployment, ProviderJson.Default.FunctionDeployment);

    public string CreatedAtText => CreatedAt.ToString("O", CultureInfo.InvariantCulture);
}
