using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faas.Cli.Gateway;
using Faas.Cli.Stack;
using Faas.Cli.Templates;

namespace Faas.Cli.Building;

/// <summary>
/// Builds a function for the local backend: <c>build/NAME/</c> gets the template with the handler in its handler
/// folder, the template's local build commands run there (output streamed line by line), and the result is packed
/// as <c>build/NAME/bundle.tar.gz</c> with a <c>faas-bundle.json</c> saying how the watchdog runs it.
/// </summary>
internal sealed class BundleBuilder : IFunctionBuilder
{
    public const string BuilderName = "bundle";

    public const string ArchiveName = "bundle.tar.gz";

    public string Name => BuilderName;

    public static string BuildDirectory(StackFile stack, string name) => Path.Combine(stack.Directory, "build", name);

    public static string ArchivePath(StackFile stack, string name) => Path.Combine(BuildDirectory(stack, name), ArchiveName);

    public async Task BuildAsync(StackFile stack, string name, StackFunction function, TemplateCatalog templates, Action<string> output, CancellationToken cancellationToken)
    {
        var template = templates.Get(function.Lang!);
        var local = template.Local ?? throw new CliException(
            $"{name}: the {template.Language} template builds container images, and the local backend runs bundles: deploy it to the Docker or Kubernetes backend");
        foreach (var program in local.Requires)
        {
            if (!OnPath(program))
            {
                throw new CliException($"{name}: the {template.Language} template needs {program} on PATH to build and run locally");
            }
        }

        var directory = BuildSteps.Prepare(stack, name, function, template);
        foreach (var command in local.Build)
        {
            await BuildSteps.RunAsync(command, directory, function.BuildArgs, output, name, cancellationToken);
        }

        var bundleRoot = Path.GetFullPath(Path.Combine(directory, local.Output));
        var manifest = new JsonObject { ["fprocess"] = local.Fprocess, ["mode"] = local.Mode };
        if (local.ReadyPath is not null)
        {
            manifest["ready_path"] = local.ReadyPath;
        }

        await File.WriteAllTextAsync(Path.Combine(bundleRoot, "faas-bundle.json"), manifest.ToJsonString(), cancellationToken);
        await PackAsync(bundleRoot, ArchivePath(stack, name), cancellationToken);
    }

    public async Task<string> PushAsync(StackFile stack, string name, GatewayClient gateway, CancellationToken cancellationToken)
    {
        var archive = ArchivePath(stack, name);
        if (!File.Exists(archive))
        {
            throw new CliException($"{name} is not built: run 'faas build' first");
        }

        await using var stream = File.OpenRead(archive);
        var image = await gateway.UploadBundleAsync(name, stream, cancellationToken);
        await DeploymentFactory.RecordImageAsync(stack, name, image, cancellationToken);
        return image;
    }

    private static async Task PackAsync(string root, string archivePath, CancellationToken cancellationToken)
    {
        var temporary = archivePath + ".tmp";
        await using (var file = File.Create(temporary))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(root, path);
                if (Path.GetFullPath(path) == Path.GetFullPath(archivePath) || Path.GetFullPath(path) == Path.GetFullPath(temporary))
                {
                    continue;
                }

                await tar.WriteEntryAsync(path, relative.Replace(Path.DirectorySeparatorChar, '/'), cancellationToken);
            }
        }

        File.Move(temporary, archivePath, overwrite: true);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(directory => File.Exists(Path.Combine(directory, program)));
}
