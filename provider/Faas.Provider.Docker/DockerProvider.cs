using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Definitions;
using Faas.Provider.Docker.Engine;
using Faas.Provider.Docker.Logs;
using Faas.Provider.Docker.Replicas;
using Faas.Provider.Local.Secrets;
using Faas.Provider.Local.State;
using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker;

/// <summary>
/// The Docker backend (what faasd does with containerd): a container per replica, supervised and replaced when it
/// exits. The engine is the record: definitions are labels of a volume per function, replicas are labelled
/// containers, and a restarted backend adopts what it finds. Secrets stay files on this host, bind-mounted read-only.
/// </summary>
public sealed class DockerProvider : IFunctionProvider, IAsyncDisposable
{
    private readonly DockerEngine _engine;
    private readonly DockerProviderOptions _options;
    private readonly StateDirectory _state;
    private readonly SecretStore _secrets;
    private readonly DefinitionVolumes _definitions;
    private readonly ContainerLogs _logs;
    private readonly EndpointFeed _feed = new();
    private readonly ConcurrentDictionary<FunctionKey, FunctionContainers> _functions = new();
    private readonly FunctionLocks _locks = new();

    private DockerProvider(DockerEngine engine, DockerProviderOptions options)
    {
        _engine = engine;
        _options = options;
        _state = new StateDirectory(options.StateDirectory);
        _secrets = new SecretStore(_state);
        _definitions = new DefinitionVolumes(engine);
        _logs = new ContainerLogs(engine);
        Info = new ProviderInfo
        {
            Provider = "faas-docker",
            Orchestration = "docker",
            Version = VersionInfo.Of(typeof(DockerProvider).Assembly),
        };
    }

    public ProviderInfo Info { get; }

    /// <summary>Connects to the engine and adopts every function and replica container it already has; throws <see cref="DockerException"/> if no engine answers.</summary>
    public static async Task<DockerProvider> StartAsync(DockerProviderOptions options, CancellationToken cancellationToken = default)
    {
        var engine = await DockerEngine.ConnectAsync(options.Socket, cancellationToken);
        var provider = new DockerProvider(engine, options);
        if (!options.IsHostNetwork)
        {
            await engine.EnsureNetworkAsync(options.Network, cancellationToken);
        }

        var containers = await engine.ListContainersAsync([$"{ContainerLabels.Managed}=true", $"{ContainerLabels.Role}={ContainerLabels.ReplicaRole}"], cancellationToken);
        foreach (var definition in await provider._definitions.LoadAllAsync(cancellationToken))
        {
            ReplicaVersion version;
            try
            {
                version = await provider.VersionOfAsync(definition, cancellationToken);
            }
            catch (ProviderException error)
            {
                Console.Error.WriteLine($"function {definition.Key}: {error.Message}; its replicas are left as they are");
                continue;
            }

            var mine = containers.Where(c => c.Labels.GetValueOrDefault(ContainerLabels.Function) == definition.Key.Name
                && c.Labels.GetValueOrDefault(ContainerLabels.Namespace) == definition.Key.Namespace).ToList();
            var current = mine.Where(c => c.Labels.GetValueOrDefault(ContainerLabels.Version) == version.Id).ToList();
            foreach (var stale in mine.Except(current))
            {
                await engine.RemoveContainerAsync(stale.Id, force: true, cancellationToken);
            }

            var function = provider.CreateFunction(version);
            function.Adopt(current.Select(c => new AdoptedContainer(c.Id, c.Names.FirstOrDefault()?.TrimStart('/') ?? c.Id,
                int.Parse(c.Labels.GetValueOrDefault(ContainerLabels.Port, "0"), CultureInfo.InvariantCulture))));
            provider._functions[definition.Key] = function;
        }

        return provider;
    }

    public Task DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        deployment = DeploymentValidator.Validate(deployment);
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        return _locks.RunAsync(key, async () =>
        {
            if (_functions.ContainsKey(key))
            {
                throw ProviderException.Conflict($"function {key.Name} already exists in namespace {key.Namespace}");
            }

            var version = await VersionOfAsync(new FunctionDefinition(deployment, DateTimeOffset.UtcNow), cancellationToken);
            await _definitions.SaveAsync(version.Definition, cancellationToken);
            var function = CreateFunction(version);
            _functions[key] = function;
            await function.ScaleToAsync(ScalingLabels.InitialReplicas(deployment.Labels));
        }, cancellationToken);
    }

    public Task UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        deployment = DeploymentValidator.Validate(deployment);
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        return _locks.RunAsync(key, async () =>
        {
            var function = Find(key);
            var version = await VersionOfAsync(new FunctionDefinition(deployment, function.Version.Definition.CreatedAt), cancellationToken);
            await _definitions.ReplaceAsync(version.Definition, cancellationToken);
            await function.RollToAsync(version);
        }, cancellationToken);
    }

    public Task DeleteAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        var key = new FunctionKey(name, DeploymentValidator.NamespaceOrDefault(@namespace));
        return _locks.RunAsync(key, async () =>
        {
            var function = Find(key);
            _functions.TryRemove(key, out _);
            await _definitions.DeleteAsync(key, cancellationToken);
            await function.StopAllAsync();
            var directory = _state.FunctionDirectory(key);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }, cancellationToken);
    }

    public Task<FunctionStatus> GetAsync(string name, string @namespace, CancellationToken cancellationToken) =>
        Task.FromResult(Find(new FunctionKey(name, DeploymentValidator.NamespaceOrDefault(@namespace))).Status());

    public Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken)
    {
        var ns = DeploymentValidator.NamespaceOrDefault(@namespace);
        IReadOnlyList<FunctionStatus> list = [.. _functions.Values.Where(f => f.Key.Namespace == ns).OrderBy(f => f.Key.Name, StringComparer.Ordinal).Select(f => f.Status())];
        return Task.FromResult(list);
    }

    public Task ScaleAsync(ScaleServiceRequest request, CancellationToken cancellationToken)
    {
        if (request.Replicas > int.MaxValue)
        {
            throw ProviderException.Invalid($"replicas {request.Replicas} is out of range");
        }

        var key = new FunctionKey(request.ServiceName, DeploymentValidator.NamespaceOrDefault(request.Namespace));
        return _locks.RunAsync(key, () => Find(key).ScaleToAsync((int)request.Replicas), cancellationToken);
    }

    public async IAsyncEnumerable<LogMessage> GetLogsAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = Find(new FunctionKey(request.Name, DeploymentValidator.NamespaceOrDefault(request.Namespace))).Key;
        await foreach (var message in _logs.ReadAsync(request with { Namespace = key.Namespace }, cancellationToken))
        {
            yield return message;
        }
    }

    public Task CreateSecretAsync(Secret secret, CancellationToken cancellationToken) => _secrets.CreateAsync(secret);

    public Task UpdateSecretAsync(Secret secret, CancellationToken cancellationToken) => _secrets.UpdateAsync(secret);

    public Task<IReadOnlyList<Secret>> ListSecretsAsync(string @namespace, CancellationToken cancellationToken) => _secrets.ListAsync(@namespace);

    public Task DeleteSecretAsync(string name, string @namespace, CancellationToken cancellationToken) => _secrets.DeleteAsync(name, @namespace);

    public Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> namespaces = [.. _functions.Keys.Select(k => k.Namespace).Append(NameRules.DefaultNamespace).Distinct().Order(StringComparer.Ordinal)];
        return Task.FromResult(namespaces);
    }

    public IReadOnlyList<ReplicaEndpoint> GetReadyEndpoints(FunctionKey function) =>
        _functions.TryGetValue(function, out var containers) ? containers.ReadyEndpoints : [];

    public IAsyncEnumerable<EndpointsChanged> WatchEndpointsAsync(CancellationToken cancellationToken) => _feed.WatchAsync(cancellationToken);

    /// <summary>Stops supervising and leaves every container running: the engine keeps serving, and the next start adopts them.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_functions.Values.Select(function => function.ReleaseAllAsync()));
        _engine.Dispose();
    }

    private FunctionContainers CreateFunction(ReplicaVersion version) =>
        new(_engine, _options, version, (key, ready) => _feed.Publish(new EndpointsChanged(key, ready)));

    /// <summary>
    /// What replicas of <paramref name="definition"/> run: its image (pulled if the engine lacks it; Invalid if that
    /// fails) and its secrets, copied for a read-only bind mount (Invalid if one is missing).
    /// </summary>
    private async Task<ReplicaVersion> VersionOfAsync(FunctionDefinition definition, CancellationToken cancellationToken)
    {
        var deployment = definition.Deployment;
        var key = definition.Key;
        var missing = deployment.Secrets?.FirstOrDefault(secret => !_secrets.Exists(secret, key.Namespace));
        if (missing is not null)
        {
            throw ProviderException.Invalid($"required secret '{missing}' was not found in namespace {key.Namespace}");
        }

        var image = await InspectOrPullAsync(deployment.Image, cancellationToken);
        string? secretsDirectory = null;
        if (deployment.Secrets is { Count: > 0 } secrets)
        {
            secretsDirectory = Path.Combine(_state.FunctionDirectory(key), "secrets");
            _secrets.Materialize(secrets, key.Namespace, secretsDirectory);
        }

        var environment = ReplicaVersion.ParseEnvironment(image.Config?.Env);
        if (!environment.ContainsKey("fprocess") && string.IsNullOrEmpty(deployment.EnvProcess) && deployment.EnvVars?.ContainsKey("fprocess") != true
            && image.Config?.Cmd is not { Count: > 0 } && image.Config?.Entrypoint is not { Count: > 0 })
        {
            throw ProviderException.Invalid($"image {deployment.Image} has no command and function {key.Name} sets no envProcess");
        }

        return new ReplicaVersion(definition, image.Id, environment, secretsDirectory);
    }

    private async Task<ImageDetails> InspectOrPullAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await _engine.InspectImageAsync(image, cancellationToken);
        }
        catch (DockerException missing) when (missing.IsNotFound)
        {
            try
            {
                await _engine.PullImageAsync(image, cancellationToken);
                return await _engine.InspectImageAsync(image, cancellationToken);
            }
            catch (DockerException pull)
            {
                throw ProviderException.Invalid($"image {image} is not on the Docker Engine and could not be pulled ({pull.EngineMessage}): build it with 'faas build' or pull it first");
            }
        }
    }

    private FunctionContainers Find(FunctionKey key) => _functions.TryGetValue(key, out var function) ? function
        : throw ProviderException.NotFound($"function {key.Name} not found in namespace {key.Namespace}");
}
