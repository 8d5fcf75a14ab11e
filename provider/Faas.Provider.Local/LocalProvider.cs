using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Faas.Provider.Local.Bundles;
using Faas.Provider.Local.Isolation;
using Faas.Provider.Local.Replicas;
using Faas.Provider.Local.Secrets;
using Faas.Provider.Local.State;
using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Local;

/// <summary>
/// The local backend: every replica is a watchdog process on a loopback port, supervised and restarted when
/// it crashes. Definitions, secrets and replica counts live under the state directory, so a restarted
/// provider brings every function back as it was. Needs nothing but this machine.
/// </summary>
public sealed class LocalProvider : IFunctionProvider, IBundleStore, IAsyncDisposable
{
    private readonly LocalProviderOptions _options;
    private readonly StateDirectory _state;
    private readonly FunctionStore _functions;
    private readonly SecretStore _secrets;
    private readonly BundleStore _bundles;
    private readonly EndpointFeed _feed = new();
    private readonly StandbyPool? _standbys;
    private readonly ReplicaSandbox _sandbox;
    private readonly ConcurrentDictionary<FunctionKey, FunctionRuntime> _runtimes = new();
    private readonly FunctionLocks _locks = new();

    private LocalProvider(LocalProviderOptions options)
    {
        _options = options;
        _state = new StateDirectory(options.StateDirectory);
        _functions = new FunctionStore(_state);
        _secrets = new SecretStore(_state);
        _bundles = new BundleStore(_state, options.MaxBundleBytes);
        _sandbox = ReplicaSandbox.Detect(options);
        _standbys = options.StandbyReplicas > 0 ? new StandbyPool(options, _state, _sandbox) : null;
    }

    /// <summary>How replicas are kept from the host and from each other, or why they are not: one line for the start-up log.</summary>
    public string Isolation => _sandbox.Summary;

    public ProviderInfo Info { get; } = new()
    {
        Provider = "faas-local",
        Orchestration = "local",
        Version = VersionInfo.Of(typeof(LocalProvider).Assembly),
    };

    /// <summary>Opens the state directory, reaps replicas a previous run left behind, and brings every stored function back.</summary>
    public static async Task<LocalProvider> StartAsync(LocalProviderOptions options)
    {
        if (!File.Exists(options.WatchdogPath))
        {
            throw new FileNotFoundException($"Gateway:WatchdogPath: the watchdog executable was not found at {options.WatchdogPath} (make publish-watchdog builds it)", options.WatchdogPath);
        }

        var provider = new LocalProvider(options);
        OrphanReaper.KillLeftovers(provider._state.RunningReplicas);
        provider._standbys?.Fill();
        foreach (var stored in provider._functions.LoadAll())
        {
            var runtime = provider.CreateRuntime(stored);
            provider._runtimes[stored.Key] = runtime;
            await runtime.ScaleToAsync(stored.Replicas);
        }

        return provider;
    }

    public Task DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        deployment = DeploymentValidator.Validate(deployment);
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        return _locks.RunAsync(key, async () =>
        {
            if (_runtimes.ContainsKey(key))
            {
                throw ProviderException.Conflict($"function {key.Name} already exists in namespace {key.Namespace}");
            }

            var stored = new StoredFunction(deployment, DateTimeOffset.UtcNow, ScalingLabels.InitialReplicas(deployment.Labels));
            var runtime = CreateRuntime(stored);
            _functions.Save(stored);
            _runtimes[key] = runtime;
            await runtime.ScaleToAsync(stored.Replicas);
        }, cancellationToken);
    }

    public Task UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        deployment = DeploymentValidator.Validate(deployment);
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        return _locks.RunAsync(key, async () =>
        {
            var runtime = Find(key);

            // The replica count is the autoscaler's and the user's to change, not an update's.
            var updated = runtime.Stored with { Deployment = deployment };
            var launch = LaunchFor(deployment);
            _functions.Save(updated);
            await runtime.RollToAsync(updated, launch);
        }, cancellationToken);
    }

    public Task DeleteAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        var key = new FunctionKey(name, DeploymentValidator.NamespaceOrDefault(@namespace));
        return _locks.RunAsync(key, async () =>
        {
            var runtime = Find(key);
            _runtimes.TryRemove(key, out _);
            _functions.Delete(key);
            await runtime.StopAllAsync();
            runtime.Log.DeleteFiles();
        }, cancellationToken);
    }

    public Task<FunctionStatus> GetAsync(string name, string @namespace, CancellationToken cancellationToken) =>
        Task.FromResult(Find(new FunctionKey(name, DeploymentValidator.NamespaceOrDefault(@namespace))).Status());

    public Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken)
    {
        var ns = DeploymentValidator.NamespaceOrDefault(@namespace);
        IReadOnlyList<FunctionStatus> list = [.. _runtimes.Values.Where(r => r.Key.Namespace == ns).OrderBy(r => r.Key.Name, StringComparer.Ordinal).Select(r => r.Status())];
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
            var runtime = Find(key);
            var replicas = (int)request.Replicas;
            _functions.Save(runtime.Stored with { Replicas = replicas });
            await runtime.ScaleToAsync(replicas);
        }, cancellationToken);
    }

    public async IAsyncEnumerable<LogMessage> GetLogsAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var runtime = Find(new FunctionKey(request.Name, DeploymentValidator.NamespaceOrDefault(request.Namespace)));
        await foreach (var message in runtime.Log.ReadAsync(request, cancellationToken))
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
        IReadOnlyList<string> namespaces = [.. _runtimes.Keys.Select(k => k.Namespace).Append(NameRules.DefaultNamespace).Distinct().Order(StringComparer.Ordinal)];
        return Task.FromResult(namespaces);
    }

    public IReadOnlyList<ReplicaEndpoint> GetReadyEndpoints(FunctionKey function) =>
        _runtimes.TryGetValue(function, out var runtime) ? runtime.ReadyEndpoints : [];

    public IAsyncEnumerable<EndpointsChanged> WatchEndpointsAsync(CancellationToken cancellationToken) => _feed.WatchAsync(cancellationToken);

    public Task<string> StoreBundleAsync(string name, Stream archive, CancellationToken cancellationToken) =>
        _bundles.StoreBundleAsync(name, archive, cancellationToken);

    /// <summary>Stops every replica (the gateway is exiting): nothing is left running, and state stays for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_runtimes.Values.Select(runtime => runtime.StopAllAsync()));
        if (_standbys is not null)
        {
            await _standbys.DisposeAsync();
        }

        foreach (var runtime in _runtimes.Values)
        {
            runtime.Log.Dispose();
        }
    }

    private FunctionRuntime CreateRuntime(StoredFunction stored) =>
        new(_options, _state, _sandbox, _feed, _standbys, stored, LaunchFor(stored.Deployment));

    /// <summary>How to start replicas of <paramref name="deployment"/>; Invalid if a secret or the bundle is missing.</summary>
    private ReplicaLaunch LaunchFor(FunctionDeployment deployment)
    {
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        var missing = deployment.Secrets?.FirstOrDefault(secret => !_secrets.Exists(secret, key.Namespace));
        if (missing is not null)
        {
            throw ProviderException.Invalid($"required secret '{missing}' was not found in namespace {key.Namespace}");
        }

        var bundle = BundleReference.IsBundle(deployment.Image) ? _bundles.Resolve(deployment.Image) : ((string, BundleManifest)?)null;
        var launch = ReplicaLaunch.For(deployment, bundle, Path.Combine(_state.FunctionDirectory(key), "secrets"));
        if (!launch.Environment.ContainsKey("fprocess"))
        {
            throw ProviderException.Invalid($"function {key.Name} has no command to run: set envProcess (or deploy a bundle)");
        }

        _secrets.Materialize(deployment.Secrets ?? [], key.Namespace, launch.SecretsDirectory);
        _sandbox.GiveToFunction(launch.SecretsDirectory);
        foreach (var secret in Directory.EnumerateFiles(launch.SecretsDirectory))
        {
            _sandbox.GiveToFunction(secret);
        }

        return launch;
    }

    private FunctionRuntime Find(FunctionKey key) => _runtimes.TryGetValue(key, out var runtime) ? runtime : throw NotFound(key);

    private static ProviderException NotFound(FunctionKey key) =>
        ProviderException.NotFound($"function {key.Name} not found in namespace {key.Namespace}");
}
