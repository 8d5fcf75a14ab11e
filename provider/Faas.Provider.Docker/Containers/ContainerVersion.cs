using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Faas.Provider.Host.Replicas;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker.Containers;

/// <summary>
/// One version of a function as its containers run it: the definition, the image it resolved to and the environment
/// that image sets (read once from the engine, to see whether the watchdog runs in http mode), and its secrets on
/// this host. The id hashes definition and image, so a rebuilt image under the same tag is a new version too.
/// </summary>
public sealed class ContainerVersion(FunctionDeployment deployment, DateTimeOffset createdAt, string imageId, IReadOnlyDictionary<string, string> imageEnvironment, string? secretsDirectory)
    : HostVersion(deployment, createdAt)
{
    public string ImageId { get; } = imageId;

    public IReadOnlyDictionary<string, string> ImageEnvironment { get; } = imageEnvironment;

    public string? SecretsDirectory { get; } = secretsDirectory;

    public string Id { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        JsonSerializer.Serialize(deployment, ProviderJson.Default.FunctionDeployment) + "\n" + imageId)))[..12];

    public bool IsHttpMode => (Deployment.EnvVars?.GetValueOrDefault("mode") ?? ImageEnvironment.GetValueOrDefault("mode")) == "http";

    public static IReadOnlyDictionary<string, string> ParseEnvironment(IEnumerable<string>? entries) =>
        (entries ?? []).Select(entry => entry.Split('=', 2)).Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.Ordinal);
}
