using System.CommandLine;
using System.Diagnostics;
using Faas.Cli.Building;
using Faas.Cli.Gateway;
using Faas.Cli.Stack;
using Faas.Cli.Templates;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>build</c>, <c>push</c>, <c>deploy</c> and <c>up</c> over the functions of a stack file. Each function's build output
/// is streamed with its name as a prefix, and each step ends with one progress line per function.
/// </summary>
internal static class StackCommands
{
    [Flags]
    private enum Steps
    {
        Build = 1,
        Push = 2,
        Deploy = 4,
    }

    private static readonly Option<bool> SkipPush = new("--skip-push") { Description = "Build and deploy without uploading (a bundle) or pushing (an image the engine that runs it already has)" };
    private static readonly Option<bool> SkipDeploy = new("--skip-deploy") { Description = "Build and push only" };

    private static readonly Option<string> Builder = new("--builder") { Description = "How functions are built: bundle (the local backend) or docker (images)", DefaultValueFactory = _ => FunctionBuilders.Default };

    private static readonly Option<bool> Offline = new("--offline") { Description = "Docker builder: build on the base images 'make images' made, not a registry's" };

    public static IEnumerable<Command> Create()
    {
        yield return Stack("build", "Build the stack's functions in build/NAME/ (bundles for the local backend, or images with --builder docker)", (_, _) => Steps.Build);
        yield return Stack("push", "Ship the builds: bundles to the gateway, images to their registry", (_, _) => Steps.Push);
        yield return Stack("deploy", "Deploy the stack's functions (create or update)", (_, _) => Steps.Deploy);
        var up = Stack("up", "Build, push and deploy", (result, _) =>
            Steps.Build | (result.GetValue(SkipPush) ? 0 : Steps.Push) | (result.GetValue(SkipDeploy) ? 0 : Steps.Deploy));
        up.Add(SkipPush);
        up.Add(SkipDeploy);
        yield return up;
    }

    private static Command Stack(string name, string description, Func<ParseResult, StackFile, Steps> steps)
    {
        var command = new Command(name, description) { CliOptions.Filter, CliOptions.Regex, CliOptions.Parallel, Builder, Offline };
        command.SetAction(async (result, cancellationToken) =>
        {
            var builder = FunctionBuilders.Get(result.GetValue(Builder)!, result.GetValue(Offline));
            var stack = CliOptions.RequiredStack(result);
            var parallel = result.GetValue(CliOptions.Parallel);
            if (parallel < 1)
            {
                throw CliException.BadInput($"--parallel must be at least 1, got {parallel}");
            }

            var functions = CliOptions.Selected(result, stack);
            var plan = steps(result, stack);
            var templates = TemplateCatalog.Load(stack);
            using var client = CliOptions.Client(result, stack);
            var failures = 0;
            await Parallel.ForEachAsync(functions, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (entry, token) =>
            {
                try
                {
                    await RunAsync(stack, entry.Name, entry.Function, plan, builder, templates, client, CliOptions.NamespaceOf(result), token);
                }
                catch (CliException error)
                {
                    Interlocked.Increment(ref failures);
                    Console.Error.WriteLine($"[{entry.Name}] failed: {error.Message}");
                }
            });
            return failures == 0 ? 0 : CliException.Failure;
        });
        return command;
    }

    private static async Task RunAsync(StackFile stack, string name, StackFunction function, Steps steps, IFunctionBuilder builder, TemplateCatalog templates, GatewayClient client, string? @namespace, CancellationToken cancellationToken)
    {
        var built = function.SkipBuild || function.Lang is null;
        if (steps.HasFlag(Steps.Build) && !built)
        {
            var clock = Stopwatch.StartNew();
            await builder.BuildAsync(stack, name, function, templates, line => Console.WriteLine($"[{name}] {line}"), cancellationToken);
            Console.WriteLine($"[{name}] built with {builder.Name} in {clock.Elapsed.TotalSeconds:0.0}s");
        }

        if (steps.HasFlag(Steps.Push) && !built)
        {
            Console.WriteLine($"[{name}] pushed {await builder.PushAsync(stack, name, client, cancellationToken)}");
        }

        if (steps.HasFlag(Steps.Deploy))
        {
            var deployment = DeploymentFactory.Create(name, function, DeploymentFactory.ImageFor(stack, name, function), @namespace);
            var updated = await client.DeployAsync(deployment, cancellationToken);
            var route = deployment.Namespace is { Length: > 0 } ns ? $"{name}.{ns}" : name;
            Console.WriteLine($"[{name}] {(updated ? "updated" : "deployed")}: {client.Url}/function/{route}");
        }
    }
}
