using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Docker;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Definitions;
using Faas.Provider.Docker.Logs;
using Faas.Provider.Docker.Replicas;
using Faas.Provider.Host;
using Faas.Provider.Validation;
using Faas.Provider.Host.Replicas;
using Faas.Provider.Host.State;
using Faas.Provider.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Provider.Docker;

/// <summary>
/// The Docker backend (what faasd does with containerd): a container per replica, supervised and replaced when it
/// exits. The engine is the record: definitions are labels of a volume per function, replicas are labelled
/// containers, and a restarted backend adopts what it finds. Secrets stay files on this host, bind-mounted read-only.
/// </summary>
public sealed partial class DockerProvider : HostProvider<ContainerVersion>
{
    /// <summary>The Engine refuses a container with a smaller memory limit (6 MB).</summary>
    private const long MinimumMemoryBytes = 6 * 1024 * 1024;

    private readonly IDockerClient _engine;
    private readonly DockerProviderOptions _options;
    private readonly ContainerDriver _driver;
    private readonly ContainerLogs _logs;
    private readonly ILogger _log;
    private IReadOnlyList<ContainerListResponse> _running = [];

    /// <summary>A client for the engine on <see cref="DockerProviderOptions.Socket"/>; nothing is asked of it until <see cref="StartAsync(CancellationToken)"/>.</summary>
    public DockerProvider(DockerProviderOptions options, ILogger<DockerProvider>? log = null)
        : this(DockerEndpoint.Client(options.Socket), options, log ?? NullLogger<DockerProvider>.Instance)
    {
    }

    private DockerProvider(IDockerClient engine, DockerProviderOptions options, ILogger log)
        : this(engine, options, new ContainerDriver(engine, options), log)
    {
    }

    private DockerProvider(IDockerClient engine, DockerProviderOptions options, ContainerDriver driver, ILogger log)
        : base(options, driver, new DefinitionVolumes(engine), new StateDirectory(options.StateDirectory))
    {
        _engine = engine;
        _options = options;
        _driver = driver;
        _log = log;
        _logs = new ContainerLogs(engine);
    }

    public override ProviderInfo Info { get; } = new()
    {
        Provider = "faas-docker",
        Orchestration = "docker",
        Version = VersionInfo.Of(typeof(DockerProvider).Assembly),
    };

    /// <summary>A provider on <paramref name="options"/>, started (for callers without a host: tests, benchmarks).</summary>
    public static async Task<DockerProvider> StartAsync(DockerProviderOptions options, CancellationToken cancellationToken = default)
    {
        var provider = new DockerProvider(options);
        await provider.StartAsync(cancellationToken);
        return provider;
    }

    /// <summary>Connects to the engine and adopts every function and replica container it already has; a start failure if no engine answers.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DockerEndpoint.VerifyAsync(_engine, _options.Socket, cancellationToken);
            if (!_options.IsHostNetwork)
            {
                await BridgeNetwork.EnsureAsync(_engine, _options.Network, cancellationToken);
            }

            _running = [.. await _engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = ContainerLabels.Replicas() }, cancellationToken)];
            await RestoreAllAsync((key, problem) => LogUnrestorable(_log, key.ToString(), problem), cancellationToken);
            _running = [];
        }
        catch (DockerUnavailableException error)
        {
            throw ProviderStartException.Unreachable($"the Docker backend cannot start: {error.Message}", error);
        }
        catch (Exception error) when (error is DockerApiException or HttpRequestException or IOException)
        {
            throw ProviderStartException.Unreachable($"the Docker backend cannot start: {EngineErrors.Reason(error)}", error);
        }
    }

    /// <summary>Stops supervising and leaves every container running: the engine keeps serving, and the next start adopts them.</summary>
    public override async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Functions.Select(function => function.ReleaseAllAsync()));
        _engine.Dispose();
    }

    /// <summary>
    /// What replicas of <paramref name="deployment"/> run: its image (pulled if the engine lacks it; Invalid if that
    /// fails) and its secrets, copied for a read-only bind mount (Invalid if one is missing).
    /// </summary>
    protected override async Task<ContainerVersion> PrepareAsync(FunctionDeployment deployment, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        var missing = deployment.Secrets?.FirstOrDefault(secret => !Secrets.Exists(secret, key.Namespace));
        if (missing is not null)
        {
            throw ProviderException.Invalid($"required secret '{missing}' was not found in namespace {key.Namespace}");
        }

        if (deployment.Limits?.Memory is { } memory && ResourceQuantity.Bytes(memory) is > 0 and < MinimumMemoryBytes)
        {
            throw ProviderException.Invalid($"memory limit {memory} is under the Docker Engine's minimum of 6 MB");
        }

        var image = await InspectOrPullAsync(deployment.Image, cancellationToken);
        string? secretsDirectory = null;
        if (deployment.Secrets is { Count: > 0 } secrets)
        {
            secretsDirectory = Path.Combine(State.FunctionDirectory(key), "secrets");
            Secrets.Materialize(secrets, key.Namespace, secretsDirectory);
            ReadableByAnyUser(secretsDirectory);
        }

        var environment = ContainerVersion.ParseEnvironment(image.Config?.Env);
        if (!environment.ContainsKey("fprocess") && string.IsNullOrEmpty(deployment.EnvProcess) && deployment.EnvVars?.ContainsKey("fprocess") != true
            && image.Config?.Cmd is not { Count: > 0 } && image.Config?.Entrypoint is not { Count: > 0 })
        {
            throw ProviderException.Invalid($"image {deployment.Image} has no command and function {key.Name} sets no envProcess");
        }

        return new ContainerVersion(deployment, createdAt, image.ID, environment, secretsDirectory);
    }

    /// <summary>Adopts the function's containers of the current version; those of an older one are removed.</summary>
    protected override async Task RestoreAsync(ReplicaSet<ContainerVersion> function, StoredDefinition stored, CancellationToken cancellationToken)
    {
        var mine = _running.Where(c => Label(c, ContainerLabels.Function) == stored.Key.Name && Label(c, ContainerLabels.Namespace) == stored.Key.Namespace).ToList();
        var current = mine.Where(c => Label(c, ContainerLabels.Version) == function.Version.Id).ToList();
        foreach (var stale in mine.Except(current))
        {
            await _engine.Containers.RemoveContainerAsync(stale.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
        }

        function.Adopt(current.Select(c => _driver.Adopt(c.ID, c.Names.FirstOrDefault()?.TrimStart('/') ?? c.ID,
            int.TryParse(Label(c, ContainerLabels.Port), CultureInfo.InvariantCulture, out var port) ? port : 0)));
    }

    protected override IAsyncEnumerable<LogMessage> ReadLogsAsync(FunctionKey key, LogRequest request, CancellationToken cancellationToken) =>
        _logs.ReadAsync(request, cancellationToken);

    /// <summary>
    /// The image decides the user a function runs as (OpenFaaS's run as a non-root <c>app</c>), so the mounted copy is
    /// readable by every user: the host keeps it to itself through the state directory (0700) it sits in.
    /// </summary>
    private static void ReadableByAnyUser(string secretsDirectory)
    {
        const UnixFileMode ReadAll = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(secretsDirectory, ReadAll | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var secret in Directory.EnumerateFiles(secretsDirectory))
        {
            File.SetUnixFileMode(secret, ReadAll);
        }
    }

    private static string? Label(ContainerListResponse container, string name) =>
        container.Labels is { } labels && labels.TryGetValue(name, out var value) ? value : null;

    private async Task<ImageInspectResponse> InspectOrPullAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await _engine.Images.InspectImageAsync(image, cancellationToken);
        }
        catch (Exception missing) when (missing.IsNotFound())
        {
            try
            {
                var (repository, tag) = ImageReference.Split(image);
                var progress = new EngineProgress();
                await _engine.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, progress, cancellationToken);
                progress.ThrowIfFailed($"pull {image}");
                return await _engine.Images.InspectImageAsync(image, cancellationToken);
            }
            catch (Exception pull) when (pull is DockerApiException or EngineProgressException)
            {
                throw ProviderException.Invalid($"image {image} is not on the Docker Engine and could not be pulled ({EngineErrors.Reason(pull)}): build it with 'faas build' or pull it first");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function} is not brought back: {Problem}; its containers are left as they are")]
    private static partial void LogUnrestorable(ILogger logger, string function, string problem);
}
