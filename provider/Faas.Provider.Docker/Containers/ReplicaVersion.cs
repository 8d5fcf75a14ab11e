using System.Security.Cryptography;
using System.Text;
using Faas.Provider.Docker.Definitions;

namespace Faas.Provider.Docker.Containers;

/// <summary>
/// One version of a function as its replicas run it: the definition, the image it resolved to and the environment
/// that image sets (read once from the engine, to see whether the watchdog runs in http mode), and its secrets on
/// this host. The id hashes definition and image, so a rebuilt image under the same tag is a new version too.
/// </summary>
public sealed record ReplicaVersion(FunctionDefinition Definition, string ImageId, IReadOnlyDictionary<string, string> ImageEnvironment, string? SecretsDirectory)
{
    public FunctionKey Key => Definition.Key;

    public string Id { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Definition.Json + "\n" + ImageId)))[..12];

    public bool IsHttpMode => (Definition.Deployment.EnvVars?.GetValueOrDefault("mode") ?? ImageEnvironment.GetValueOrDefault("mode")) == "http";

    public static IReadOnlyDictionary<string, string> ParseEnvironment(IEnumerable<string>? entries) =>
        (entries ?? []).Select(entry => entry.Split('=', 2)).Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.Ordinal);
}
