using Faas.Cli.Stack;
using Faas.Provider.Wire;

namespace Faas.Cli.Building;

/// <summary>A stack function as the <c>FunctionDeployment</c> the gateway takes.</summary>
internal static class DeploymentFactory
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
    /// The image to deploy: what the builder recorded (a bundle reference once pushed, an image once built), else the
    /// stack's <c>image</c> for functions that are not built here.
    /// </summary>
    public static string ImageFor(StackFile stack, string name, StackFunction function)
    {
        var recorded = ImageRecordPath(stack, name);
        if (!function.SkipBuild && function.Lang is not null)
        {
            return File.Exists(recorded)
                ? File.ReadAllText(recorded).Trim()
                : throw new CliException($"{name} has not been built and pushed yet: run 'faas build' and 'faas push' first (or 'faas up')");
        }

        return function.Image!;
    }

    public static Task RecordImageAsync(StackFile stack, string name, string image, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(ImageRecordPath(stack, name), image + "\n", cancellationToken);

    private static string ImageRecordPath(StackFile stack, string name) => Path.Combine(BundleBuilder.BuildDirectory(stack, name), "deploy-image");

    private static FunctionResources? Resources(StackResources? resources) =>
        resources is null ? null : new FunctionResources { Memory = resources.Memory, Cpu = resources.Cpu };
}
