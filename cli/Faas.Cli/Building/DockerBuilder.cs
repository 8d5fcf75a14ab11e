using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Docker;
using Faas.Cli.Gateway;
using Faas.Cli.Stack;
using Faas.Cli.Templates;

namespace Faas.Cli.Building;

/// <summary>
/// Builds a function's image with a Docker Engine (<c>$DOCKER_HOST</c> or /var/run/docker.sock): <c>build/NAME/</c> gets
/// the template and handler, the template's prebuild steps run there, and the directory holding the Dockerfile goes to
/// the Engine's <c>/build</c> as a tar stream, tagged with the stack's <c>image</c>. Build output is streamed line by
/// line; a failed build names its step. Pushing sends the image to the registry its name starts with.
/// </summary>
internal sealed class DockerBuilder(bool offline) : IFunctionBuilder
{
    public const string BuilderName = "docker";

    public string Name => BuilderName;

    public async Task BuildAsync(StackFile stack, string name, StackFunction function, TemplateCatalog templates, Action<string> output, CancellationToken cancellationToken)
    {
        var image = function.Image ?? throw new CliException($"{name}: the docker builder needs 'image:' in {stack.Path} (the tag to build, e.g. 127.0.0.1:5000/{name}:latest)");
        var template = templates.Get(function.Lang!);
        var directory = BuildSteps.Prepare(stack, name, function, template);
        foreach (var command in template.Docker.Prebuild)
        {
            await BuildSteps.RunAsync(command, directory, function.BuildArgs, output, name, cancellationToken);
        }

        var context = new[] { directory, Path.Combine(directory, template.HandlerFolder) }.FirstOrDefault(candidate => File.Exists(Path.Combine(candidate, "Dockerfile")))
            ?? throw new CliException($"{name}: the {template.Language} template has no Dockerfile (in its root or {template.HandlerFolder}/)");
        var buildArgs = new Dictionary<string, string>(offline ? template.Docker.OfflineBuildArgs : [], StringComparer.Ordinal);
        foreach (var (key, value) in function.BuildArgs)
        {
            buildArgs[key] = value;
        }

        using var engine = await ConnectAsync(cancellationToken);
        var archive = Path.Combine(Path.GetDirectoryName(directory)!, name + ".context.tar");
        await PackAsync(context, archive, cancellationToken);
        var step = "the first step";
        var progress = new EngineProgress(line =>
        {
            step = line.StartsWith("Step ", StringComparison.Ordinal) ? line : step;
            output(line);
        });
        try
        {
            await using var tar = File.OpenRead(archive);
            var parameters = new ImageBuildParameters { Tags = [image], Remove = true, ForceRemove = true, BuildArgs = buildArgs };
            await engine.Images.BuildImageFromDockerfileAsync(parameters, tar, authConfigs: null, headers: null, progress, cancellationToken);
            progress.ThrowIfFailed($"build {image}");
        }
        catch (Exception error) when (error is DockerApiException or EngineProgressException)
        {
            throw new CliException($"{name}: image build failed at {step}: {EngineErrors.Reason(error)}");
        }
        finally
        {
            File.Delete(archive);
        }

        await DeploymentFactory.RecordImageAsync(stack, name, image, cancellationToken);
    }

    public async Task<string> PushAsync(StackFile stack, string name, GatewayClient gateway, CancellationToken cancellationToken)
    {
        var image = DeploymentFactory.ImageFor(stack, name, stack.Functions[name]);
        var (repository, tag) = ImageReference.Split(image);
        using var engine = await ConnectAsync(cancellationToken);
        try
        {
            var progress = new EngineProgress();
            await engine.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, new AuthConfig(), progress, cancellationToken);
            progress.ThrowIfFailed($"push {image}");
        }
        catch (Exception error) when (error is DockerApiException or EngineProgressException)
        {
            throw new CliException($"{name}: push of {image} failed: {EngineErrors.Reason(error)}");
        }

        return image;
    }

    private static async Task<IDockerClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = DockerEndpoint.SocketFromEnvironment();
        var engine = DockerEndpoint.Client(socket);
        try
        {
            await DockerEndpoint.VerifyAsync(engine, socket, cancellationToken);
            return engine;
        }
        catch (DockerUnavailableException error)
        {
            engine.Dispose();
            throw new CliException($"{error.Message}: start dockerd, or set DOCKER_HOST=unix:///path/to/docker.sock");
        }
    }

    /// <summary>
    /// The build context as a tar file: every file under <paramref name="root"/>, modes kept, except paths a
    /// <c>.dockerignore</c> names (plain paths: the client, not the engine, applies it, as the docker CLI does).
    /// </summary>
    private static async Task PackAsync(string root, string archive, CancellationToken cancellationToken)
    {
        var ignorePath = Path.Combine(root, ".dockerignore");
        var ignored = File.Exists(ignorePath)
            ? (await File.ReadAllLinesAsync(ignorePath, cancellationToken)).Select(line => line.Trim().Trim('/')).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList()
            : [];
        await using var file = File.Create(archive);
        await using var tar = new TarWriter(file, TarEntryFormat.Pax);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!ignored.Any(pattern => relative == pattern || relative.StartsWith(pattern + "/", StringComparison.Ordinal)))
            {
                await tar.WriteEntryAsync(path, relative, cancellationToken);
            }
        }
    }
}
