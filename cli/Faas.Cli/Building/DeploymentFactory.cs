using Faas.Cli.Stack;
using Faas.Provider.Wire;

namespace Faas.Cli.Building;

/// <summary>A stack function as the <c>FunctionDeployment</c> the gateway takes.</summary>
public static class DeploymentFactory
{
    public static FunctionDeployment Create(string name, StackFunction function, string image, string? @namespace) => new()
    {
        Service = name,
        Image = image,
        Namespace = @namespace ?? function.Namespace,
        EnvProcess = function.Fprocess,
        EnvVars = function.Environment.Count > 0 ? new(function.Environment) : null,
        Secrets = function.Secrets.Count > 0 ? [.. function.Secrets] : null,
        Labels = function.Labels.Count > 0 ? new(function.Labels) : null,
        Annotations = function.Annotations.Count > 0 ? new(function.Annotations) : null,
        Constraints = function.Constraints.Count > 0 ? [.. function.Constraints] : null,
        Limits = Resources(function.Limits),
        Requests = Resources(function.Requests),
        ReadOnlyRootFilesystem = function.ReadonlyRootFilesystem,
    };

    /// <summary>
    /// The image to deploy: the bundle reference <c>faas push</c> recorded, else the stack's <c>image</c> for functions
    /// that are not built here.
    /// </summary>
    public static string ImageFor(StackFile stack, string name, StackFunction function)
    {
        var pushed = PushedImagePath(stack, name);
        if (!function.SkipBuild && function.Lang is not null)
        {
            return File.Exists(pushed)
                ? File.ReadAllText(pushed).Trim()
                : throw new CliException($"{name} has not been pushed yet: run 'faas push' first (or 'faas up')");
        }

        return function.Image!;
    }

    public static string PushedImagePath(StackFile stack, string name) => Path.Combine(BundleBuilder.BuildDirectory(stack, name), "pushed-image");

    private static FunctionResources? Resources(StackResources? resources) =>
        resources is null ? null : new FunctionResources { Memory = resources.Memory, Cpu = resources.Cpu };
}
