using Faas.Cli.Stack;

namespace Faas.Cli.Gateway;

/// <summary>Which gateway to talk to: <c>--gateway</c>, then <c>FAAS_URL</c>, <c>OPENFAAS_URL</c>, the stack's <c>provider.gateway</c>, then 127.0.0.1:8080.</summary>
internal static class GatewayResolver
{
    public const string Default = "http://127.0.0.1:8080";

    public static string Resolve(string? flag, StackFile? stack)
    {
        var chosen = new[] { flag, Environment.GetEnvironmentVariable("FAAS_URL"), Environment.GetEnvironmentVariable("OPENFAAS_URL"), stack?.Provider.Gateway }
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value)) ?? Default;
        if (!Uri.TryCreate(chosen, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw CliException.BadInput($"gateway \"{chosen}\" is not an http(s) URL");
        }

        return chosen.TrimEnd('/');
    }
}
