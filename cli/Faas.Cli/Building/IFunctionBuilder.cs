using Faas.Cli.Gateway;
using Faas.Cli.Stack;
using Faas.Cli.Templates;

namespace Faas.Cli.Building;

/// <summary>
/// How a function's source becomes what a backend runs, and how that reaches the backend: <c>bundle</c> (the local
/// backend's bundles, uploaded through the gateway) or <c>docker</c> (images built by a Docker Engine, pushed to a registry).
/// </summary>
internal interface IFunctionBuilder
{
    string Name { get; }

    /// <summary>Builds into <c>build/NAME/</c>, streaming the build's output line by line to <paramref name="output"/>.</summary>
    Task BuildAsync(StackFile stack, string name, StackFunction function, TemplateCatalog templates, Action<string> output, CancellationToken cancellationToken);

    /// <summary>Ships the build; returns the image reference to deploy (also recorded for <c>faas deploy</c>).</summary>
    Task<string> PushAsync(StackFile stack, string name, GatewayClient gateway, CancellationToken cancellationToken);
}

/// <summary>The builders by name, for <c>--builder</c>.</summary>
internal static class FunctionBuilders
{
    public const string Default = "bundle";

    private static readonly Dictionary<string, Func<bool, IFunctionBuilder>> All = new(StringComparer.Ordinal)
    {
        [BundleBuilder.BuilderName] = _ => new BundleBuilder(),
        [DockerBuilder.BuilderName] = offline => new DockerBuilder(offline),
    };

    /// <param name="offline">Build on the base images made on this machine (<c>make images</c>) rather than a registry's.</param>
    public static IFunctionBuilder Get(string name, bool offline = false) =>
        All.TryGetValue(name, out var create)
            ? create(offline)
            : throw CliException.BadInput($"unknown builder '{name}': available are {string.Join(", ", All.Keys)}");
}
