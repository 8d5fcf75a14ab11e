using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Faas.Provider.Host.Namespaces;
using Faas.Provider.Host.Replicas;
using Faas.Provider.Host.Secrets;
using Faas.Provider.Host.State;
using Faas.Provider.Host.Supervision;
using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Host;

/// <summary>
/// The provider operations of every backend whose replicas run on this host: definitions kept by the backend's store,
/// a <see cref="ReplicaSet{TVersion}"/> per function started through the backend's driver, secrets and namespaces as
/// private files in the state directory. A backend says what a version of a function is (<see cref="PrepareAsync"/>),
/// how stored functions come back at start (<see cref="RestoreAsync"/>) and where logs are.
/// </summary>
public abstract class HostProvider<TVersion> : IFunctionProvider, IAsyncDisposable
    where TVersion : HostVersion
{
    private readonly ConcurrentDictionary<FunctionKey, ReplicaSet<TVersion>> _functions = new();
    private readonly FunctionLocks _locks = new();
    private readonly EndpointFeed _feed = new();
    private readonly HostProviderOptions _options;
    private readonly IReplicaDriver<TVersion> _driver;
    private readonly IDefinitionStore _definitions;
    private readonly NamespaceStore _namespaces;

    protected HostProvider(HostProviderOptions options, IReplicaDriver<TVersion> driver, IDefinitionStore definitions, StateDirectory state)
    {
        _options = options;
        _driver = driver;
        _definitions = definitions;
        State = state;
        Secrets = new SecretStore(state);
        _namespaces = new NamespaceStore(state);
    }

    public abstract ProviderInfo Info { get; }

    public abstract Task StartAsync(CancellationToken cancellationToken);

    protected StateDirectory State { get; }

    protected SecretStore Secrets { get; }

    /// <summary>The functions deployed now.</summary>
    protected IReadOnlyCollection<ReplicaSet<TVersion>> Functions => [.. _functions.Values];

    public Task DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        deployment = Checked(deployment);
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        return _locks.RunAsync(key, async () =>
        {
            if (_functions.ContainsKey(key))
            {
                throw ProviderException.Conflict($"function {key.Name} already exists in namespace {key.Namespace}");
            }

            var replicas = ScalingLabels.InitialReplicas(deployment.Labels);
            var version = await PrepareAsync(deployment, DateTimeOffset.UtcNow, cancellationToken);
            await _definitions.SaveAsync(new StoredDefinition(deployment, version.CreatedAt, replicas), cancellationToken);
            var function = CreateSet(version);
            _functions[key] = function;
            await function.ScaleToAsync(replicas);
        }, cancellationToken);
    }

    /// <summary>Replaces the definition and starts a rolling update; returns before the new replicas are ready (status shows them).</summary>
    public Task UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        deployment = Checked(deployment);
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        return _locks.RunAsync(key, async () =>
        {
            var function = Find(key);
            var version = await PrepareAsync(deployment, function.Version.CreatedAt, cancellationToken);
            await _definitions.SaveAsync(new StoredDefinition(deployment, version.CreatedAt, function.Replicas), cancellationToken);
            function.RollTo(version);
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
            var directory = State.FunctionDirectory(key);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            await OnDeletedAsync(key);
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
        return _locks.RunAsync(key, async () =>
        {
            var function = Find(key);
            await _definitions.SaveReplicasAsync(key, (int)request.Replicas, cancellationToken);
            await function.ScaleToAsync((int)request.Replicas);
        }, cancellationToken);
    }

    public async IAsyncEnumerable<LogMessage> GetLogsAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = Find(new FunctionKey(request.Name, DeploymentValidator.NamespaceOrDefault(request.Namespace))).Key;
        await foreach (var message in ReadLogsAsync(key, request with { Namespace = key.Namespace }, cancellationToken))
        {
            yield return message;
        }
    }

    public Task CreateSecretAsync(Secret secret, CancellationToken cancellationToken) => Secrets.CreateAsync(secret);

    public Task UpdateSecretAsync(Secret secret, CancellationToken cancellationToken) => Secrets.UpdateAsync(secret);

    public Task<IReadOnlyList<Secret>> ListSecretsAsync(string @namespace, CancellationToken cancellationToken) => Secrets.ListAsync(@namespace);

    public Task DeleteSecretAsync(string name, string @namespace, CancellationToken cancellationToken) => Secrets.DeleteAsync(name, @namespace);

    public Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> namespaces = [.. _functions.Keys.Select(k => k.Namespace).Concat(_namespaces.Names()).Append(NameRules.DefaultNamespace)
            .Distinct().Order(StringComparer.Ordinal)];
        return Task.FromResult(namespaces);
    }

    public async Task<FunctionNamespace> GetNamespaceAsync(string name, CancellationToken cancellationToken) =>
        _namespaces.Find(name) ?? ((await ListNamespacesAsync(cancellationToken)).Contains(name) ? new FunctionNamespace { Name = name } : throw NamespaceNotFound(name));

    public async Task CreateNamespaceAsync(FunctionNamespace @namespace, CancellationToken cancellationToken)
    {
        if ((await ListNamespacesAsync(cancellationToken)).Contains(@namespace.Name) || !_namespaces.TryCreate(Checked(@namespace)))
        {
            throw ProviderException.Conflict($"namespace {@namespace.Name} already exists");
        }
    }

    public async Task UpdateNamespaceAsync(FunctionNamespace @namespace, CancellationToken cancellationToken)
    {
        // A namespace that exists only because it holds functions (or is the default) gets a record of its own.
        if (!_namespaces.TryUpdate(Checked(@namespace)) && !((await ListNamespacesAsync(cancellationToken)).Contains(@namespace.Name) && _namespaces.TryCreate(@namespace)))
        {
            throw NamespaceNotFound(@namespace.Name);
        }
    }

    public async Task DeleteNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        if (name == NameRules.DefaultNamespace)
        {
            throw ProviderException.Conflict($"namespace {name} is the default namespace and cannot be deleted");
        }

        if (_functions.Keys.Any(key => key.Namespace == name) || (await Secrets.ListAsync(name)).Count > 0)
        {
            throw ProviderException.Conflict($"namespace {name} still has functions or secrets: remove them first");
        }

        if (!_namespaces.TryDelete(name))
        {
            throw NamespaceNotFound(name);
        }
    }

    public IReadOnlyList<ReplicaEndpoint> GetReadyEndpoints(FunctionKey function) =>
        _functions.TryGetValue(function, out var set) ? set.ReadyEndpoints : [];

    public IAsyncEnumerable<EndpointsChanged> WatchEndpointsAsync(CancellationToken cancellationToken) => _feed.WatchAsync(cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// What replicas of <paramref name="deployment"/> run (a process launch, a container spec), with everything they
    /// need in place (secrets, image, bundle); Invalid naming what is missing.
    /// </summary>
    protected abstract Task<TVersion> PrepareAsync(FunctionDeployment deployment, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>Brings a stored function back at start: adopts the replicas still running, or starts them.</summary>
    protected abstract Task RestoreAsync(ReplicaSet<TVersion> function, StoredDefinition stored, CancellationToken cancellationToken);

    protected abstract IAsyncEnumerable<LogMessage> ReadLogsAsync(FunctionKey key, LogRequest request, CancellationToken cancellationToken);

    /// <summary>After a function was deleted and its replicas stopped: what else the backend keeps of it goes (its log).</summary>
    protected virtual Task OnDeletedAsync(FunctionKey key) => Task.CompletedTask;

    /// <summary>What this backend refuses in a new or updated definition beyond the common rules (a 400's text), or null; stored definitions are not checked again.</summary>
    protected virtual string? Refuse(FunctionDeployment deployment) => null;

    /// <summary>Brings every stored function back; one that cannot be prepared any more is reported and left out.</summary>
    protected async Task RestoreAllAsync(Action<FunctionKey, string> unrestorable, CancellationToken cancellationToken)
    {
        foreach (var stored in await _definitions.LoadAllAsync(cancellationToken))
        {
            TVersion version;
            try
            {
                version = await PrepareAsync(stored.Deployment, stored.CreatedAt, cancellationToken);
            }
            catch (ProviderException error)
            {
                unrestorable(stored.Key, error.Message);
                continue;
            }

            var function = CreateSet(version);
            _functions[stored.Key] = function;
            await RestoreAsync(function, stored, cancellationToken);
        }
    }

    private FunctionDeployment Checked(FunctionDeployment deployment)
    {
        deployment = DeploymentValidator.Validate(deployment);
        return Refuse(deployment) is { } problem ? throw ProviderException.Invalid(problem) : deployment;
    }

    private ReplicaSet<TVersion> CreateSet(TVersion version) =>
        new(_driver, _options, version, (key, ready) => _feed.Publish(new EndpointsChanged(key, ready)));

    private ReplicaSet<TVersion> Find(FunctionKey key) => _functions.TryGetValue(key, out var function) ? function
        : throw ProviderException.NotFound($"function {key.Name} not found in namespace {key.Namespace}");

    private static FunctionNamespace Checked(FunctionNamespace @namespace)
    {
        DeploymentValidator.NamespaceOrDefault(@namespace.Name);
        var problem = NameRules.CheckLabel("namespace", @namespace.Name)
            ?? @namespace.Labels.Keys.Select(key => NameRules.CheckKey("labels", key)).FirstOrDefault(p => p is not null)
            ?? @namespace.Annotations.Keys.Select(key => NameRules.CheckKey("annotations", key)).FirstOrDefault(p => p is not null);
        return problem is null ? @namespace : throw ProviderException.Invalid(problem);
    }

    private static ProviderException NamespaceNotFound(string name) => ProviderException.NotFound($"namespace {name} not found");
}
