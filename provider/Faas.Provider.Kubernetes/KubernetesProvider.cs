using System.Net;
using System.Runtime.CompilerServices;
using Faas.Provider.Kubernetes.Cluster;
using Faas.Provider.Kubernetes.Leadership;
using Faas.Provider.Kubernetes.Logs;
using Faas.Provider.Kubernetes.Namespaces;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Kubernetes.Pods;
using Faas.Provider.Validation;
using Faas.Provider.Wire;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Provider.Kubernetes;

/// <summary>
/// The Kubernetes backend: a Deployment and a Service per function (<see cref="FunctionObjects"/>), in namespaces that
/// carry the configured label; replicas through the Deployment's <c>scale</c> subresource; secrets as Secrets; ready
/// replicas from EndpointSlices. The cluster is the record; reads come from watch-fed caches
/// (<see cref="FunctionNamespaces"/>), writes go to the API server. It acts only in function namespaces and only on
/// objects it made.
/// </summary>
internal sealed class KubernetesProvider : IFunctionProvider, IAsyncDisposable
{
    /// <summary>How long a start waits for the first view of the cluster before serving anyway (and reading it directly meanwhile).</summary>
    private static readonly TimeSpan SyncWait = TimeSpan.FromSeconds(10);

    private readonly KubernetesProviderOptions _options;
    private readonly ILoggerFactory _logs;
    private readonly EndpointFeed _feed = new();
    private readonly FunctionLocks _locks = new();
    private readonly TimeProvider _clock;
    private IKubernetes _client = null!;
    private FunctionNamespaces _namespaces = null!;
    private FunctionSecrets _secrets = null!;
    private PodLogs _podLogs = null!;
    private PodHealth _podHealth = null!;
    private LeaseLeadership? _leadership;
    private int _disposed;

    public KubernetesProvider(KubernetesProviderOptions options, ILoggerFactory? logs = null, TimeProvider? clock = null)
    {
        _options = options;
        _logs = logs ?? NullLoggerFactory.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    public ProviderInfo Info { get; } = new()
    {
        Provider = "faas-kubernetes",
        Orchestration = "kubernetes",
        Version = Wire.VersionInfo.Of(typeof(KubernetesProvider).Assembly),
    };

    public bool IsLeader => _leadership?.IsLeader ?? true;

    public string? Problem => _namespaces.Failure?.Message;

    /// <summary>A started provider (for callers without a host: tests).</summary>
    public static async Task<KubernetesProvider> StartAsync(KubernetesProviderOptions options, ILoggerFactory? logs = null, CancellationToken cancellationToken = default)
    {
        var provider = new KubernetesProvider(options, logs);
        await provider.StartAsync(cancellationToken);
        return provider;
    }

    /// <summary>
    /// Loads the client settings (a bad kubeconfig stops the start) and starts watching. An API server that cannot be
    /// reached does not: the gateway serves, this backend answers 503 until the server is back.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!PodSettings.PullPolicies.Contains(_options.ImagePullPolicy))
        {
            throw ProviderStartException.BadSettings($"Gateway:Kubernetes:ImagePullPolicy '{_options.ImagePullPolicy}' is not one of {string.Join(", ", PodSettings.PullPolicies)}");
        }

        var (client, contextNamespace) = ClusterClient.Create(_options);
        _client = client;
        var log = _logs.CreateLogger("Faas.Provider.Kubernetes");
        _namespaces = new FunctionNamespaces(client, _options.FunctionNamespaceLabel, _options.WatchTimeout, log, _feed);
        _secrets = new FunctionSecrets(client, RequireFunctionNamespaceAsync);
        _podLogs = new PodLogs(client);
        _podHealth = new PodHealth(client, log, _clock);
        if (_options.LeaderElection)
        {
            _leadership = new LeaseLeadership(client, _options.LeaseNamespace ?? contextNamespace ?? "default", _options.LeaseName, _options.LeaseDuration, _options.LeaseRetryPeriod, log);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(SyncWait);
        await _namespaces.WaitForSyncAsync(wait.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async Task DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        var (function, registrySecrets) = await PrepareAsync(deployment, cancellationToken);
        var key = new FunctionKey(function.Service, function.Namespace!);
        await _locks.RunAsync(key, async () =>
        {
            var objects = FunctionObjects.Deployment(function, _options.Pods, ScalingLabels.InitialReplicas(function.Labels), _clock.GetUtcNow(), registrySecrets);
            var service = FunctionObjects.Service(function);

            // The server checks both objects before either is made, so a refused Service leaves no Deployment behind.
            await CreateAsync(key, objects, service, dryRun: true, cancellationToken);
            await CreateAsync(key, objects, service, dryRun: false, cancellationToken);
        }, cancellationToken);
    }

    public async Task UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        var (function, registrySecrets) = await PrepareAsync(deployment, cancellationToken);
        var key = new FunctionKey(function.Service, function.Namespace!);
        await _locks.RunAsync(key, async () =>
        {
            // Read, change what the platform owns, write back; a concurrent change (the autoscaler) makes it a 409: again.
            for (var attempt = 1; ; attempt++)
            {
                var current = ManagedOrNotFound(key, await ApiErrors.CallAsync($"read function {key.Name} in namespace {key.Namespace}",
                    () => _client.AppsV1.ReadNamespacedDeploymentAsync(key.Name, key.Namespace, cancellationToken: cancellationToken)));
                var desired = FunctionObjects.Deployment(function, _options.Pods, current.Spec.Replicas ?? 1, _clock.GetUtcNow(), registrySecrets);
                try
                {
                    var replaced = await _client.AppsV1.ReplaceNamespacedDeploymentAsync(FunctionObjects.Update(current, desired), key.Name, key.Namespace, cancellationToken: cancellationToken);
                    _namespaces.CachesOf(key.Namespace)?.Deployments.Remember(replaced);
                    break;
                }
                catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.Conflict) && attempt < 5)
                {
                }
                catch (Exception error) when (ApiErrors.Map(error, $"update deployment {key.Name} in namespace {key.Namespace}") is { } mapped)
                {
                    throw mapped;
                }
            }

            await ApplyServiceAsync(FunctionObjects.Service(function), cancellationToken);
        }, cancellationToken);
    }

    public async Task DeleteAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        var key = await FunctionKeyAsync(name, @namespace, cancellationToken);
        await _locks.RunAsync(key, async () =>
        {
            await GetDeploymentAsync(key, cancellationToken);
            var foreground = new V1DeleteOptions { PropagationPolicy = "Foreground" };
            await ApiErrors.CallAsync($"delete deployment {key.Name} in namespace {key.Namespace}",
                () => _client.AppsV1.DeleteNamespacedDeploymentAsync(key.Name, key.Namespace, foreground, cancellationToken: cancellationToken));
            _namespaces.CachesOf(key.Namespace)?.Deployments.Forget(key.Name);
            try
            {
                var service = await _client.CoreV1.ReadNamespacedServiceAsync(key.Name, key.Namespace, cancellationToken: cancellationToken);
                if (FunctionObjects.IsManaged(service.Metadata))
                {
                    await _client.CoreV1.DeleteNamespacedServiceAsync(key.Name, key.Namespace, foreground, cancellationToken: cancellationToken);
                }
            }
            catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.NotFound))
            {
            }
        }, cancellationToken);
    }

    /// <summary>
    /// The function's Deployment, with its pods' restarts and failures when it has no ready replica to route to (the
    /// list leaves them out: the autoscaler reads it every second).
    /// </summary>
    public async Task<FunctionStatus> GetAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        var key = await FunctionKeyAsync(name, @namespace, cancellationToken);
        var status = FunctionObjects.Status(await GetDeploymentAsync(key, cancellationToken));
        return GetReadyEndpoints(key).Count > 0 ? status : await _podHealth.AddAsync(key, status, cancellationToken);
    }

    public async Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken)
    {
        var ns = await RequireFunctionNamespaceAsync(@namespace, cancellationToken);
        IEnumerable<V1Deployment> deployments = _namespaces.CachesOf(ns)?.Deployments is { IsSynced: true } cache
            ? cache.Items
            : (await ApiErrors.CallAsync($"list deployments in namespace {ns}",
                () => _client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: FunctionObjects.FunctionLabel, cancellationToken: cancellationToken))).Items;
        return [.. deployments.Where(IsLive).Select(FunctionObjects.Status).OrderBy(status => status.Name, StringComparer.Ordinal)];
    }

    public async Task ScaleAsync(ScaleServiceRequest request, CancellationToken cancellationToken)
    {
        if (request.Replicas > int.MaxValue)
        {
            throw ProviderException.Invalid($"replicas {request.Replicas} is out of range");
        }

        var key = await FunctionKeyAsync(request.ServiceName, request.Namespace, cancellationToken);
        await _locks.RunAsync(key, async () =>
        {
            var current = await GetDeploymentAsync(key, cancellationToken);
            var patch = new V1Patch($$$"""{"spec":{"replicas":{{{request.Replicas}}}}}""", V1Patch.PatchType.MergePatch);
            var scale = await ApiErrors.CallAsync($"scale deployment {key.Name} in namespace {key.Namespace}",
                () => _client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, key.Name, key.Namespace, cancellationToken: cancellationToken));

            // The cache hears of it from the watch; a read straight after sees it already.
            var scaled = KubernetesJson.Deserialize<V1Deployment>(KubernetesJson.Serialize(current));
            scaled.Spec.Replicas = scale.Spec.Replicas;
            scaled.Metadata.ResourceVersion = scale.Metadata.ResourceVersion;
            _namespaces.CachesOf(key.Namespace)?.Deployments.Remember(scaled);
        }, cancellationToken);
    }

    public async IAsyncEnumerable<LogMessage> GetLogsAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = await FunctionKeyAsync(request.Name, request.Namespace, cancellationToken);
        await GetDeploymentAsync(key, cancellationToken);
        await foreach (var message in _podLogs.ReadAsync(key, request, cancellationToken))
        {
            yield return message;
        }
    }

    public Task CreateSecretAsync(Secret secret, CancellationToken cancellationToken) => _secrets.CreateAsync(secret, cancellationToken);

    public Task UpdateSecretAsync(Secret secret, CancellationToken cancellationToken) => _secrets.UpdateAsync(secret, cancellationToken);

    public Task<IReadOnlyList<Secret>> ListSecretsAsync(string @namespace, CancellationToken cancellationToken) => _secrets.ListAsync(@namespace, cancellationToken);

    public Task DeleteSecretAsync(string name, string @namespace, CancellationToken cancellationToken) => _secrets.DeleteAsync(name, @namespace, cancellationToken);

    /// <summary>Only namespaces carrying <see cref="KubernetesProviderOptions.FunctionNamespaceLabel"/>.</summary>
    public async Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken) =>
        _namespaces.IsSynced
            ? _namespaces.Names
            : [.. (await ListLabelledNamespacesAsync(cancellationToken)).Where(IsLive).Select(ns => ns.Metadata.Name).Order(StringComparer.Ordinal)];

    public async Task<FunctionNamespace> GetNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        var found = (_namespaces.IsSynced ? _namespaces.Get(name) : (await ListLabelledNamespacesAsync(cancellationToken)).FirstOrDefault(ns => ns.Metadata.Name == name && IsLive(ns)))
            ?? throw ProviderException.NotFound($"namespace {name} not found (or not labelled {_options.FunctionNamespaceLabel})");
        return new FunctionNamespace
        {
            Name = name,
            Labels = new Dictionary<string, string>(found.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            Annotations = new Dictionary<string, string>(found.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        };
    }

    public Task CreateNamespaceAsync(FunctionNamespace @namespace, CancellationToken cancellationToken) => throw NamespacesAreTheClusters();

    public Task UpdateNamespaceAsync(FunctionNamespace @namespace, CancellationToken cancellationToken) => throw NamespacesAreTheClusters();

    public Task DeleteNamespaceAsync(string name, CancellationToken cancellationToken) => throw NamespacesAreTheClusters();

    public IReadOnlyList<ReplicaEndpoint> GetReadyEndpoints(FunctionKey function) => _namespaces.ReadyEndpointsOf(function);

    public IAsyncEnumerable<EndpointsChanged> WatchEndpointsAsync(CancellationToken cancellationToken) => _feed.WatchAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_leadership is not null)
        {
            await _leadership.DisposeAsync();
        }

        if (_namespaces is not null)
        {
            await _namespaces.DisposeAsync();
        }

        _client?.Dispose();
    }

    private static bool IsLive(IKubernetesObject<V1ObjectMeta> item) => item.Metadata.DeletionTimestamp is null;

    private async Task CreateAsync(FunctionKey key, V1Deployment deployment, V1Service service, bool dryRun, CancellationToken cancellationToken)
    {
        var mode = dryRun ? "All" : null;
        V1Deployment created;
        try
        {
            created = await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, key.Namespace, dryRun: mode, cancellationToken: cancellationToken);
        }
        catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.Conflict))
        {
            var existing = await ApiErrors.CallAsync($"read deployment {key.Name} in namespace {key.Namespace}", async () =>
            {
                try
                {
                    return await _client.AppsV1.ReadNamespacedDeploymentAsync(key.Name, key.Namespace, cancellationToken: cancellationToken);
                }
                catch (Exception gone) when (ApiErrors.IsStatus(gone, HttpStatusCode.NotFound))
                {
                    return null;
                }
            });
            throw ProviderException.Conflict(existing is null or { Metadata.DeletionTimestamp: not null }
                ? $"function {key.Name} in namespace {key.Namespace} is still being deleted: deploy it again once it is gone"
                : $"function {key.Name} already exists in namespace {key.Namespace}");
        }
        catch (Exception error) when (ApiErrors.Map(error, $"create deployment {key.Name} in namespace {key.Namespace}") is { } mapped)
        {
            throw mapped;
        }

        if (!dryRun)
        {
            _namespaces.CachesOf(key.Namespace)?.Deployments.Remember(created);
        }

        try
        {
            await ApplyServiceAsync(service, cancellationToken, mode);
        }
        catch (ProviderException) when (!dryRun)
        {
            // The Deployment alone would be a function nobody can reach: take it back.
            await _client.AppsV1.DeleteNamespacedDeploymentAsync(key.Name, key.Namespace, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: CancellationToken.None);
            _namespaces.CachesOf(key.Namespace)?.Deployments.Forget(key.Name);
            throw;
        }
    }

    /// <summary>Creates the function's Service, or replaces one it made before (keeping the cluster-assigned fields).</summary>
    private async Task ApplyServiceAsync(V1Service service, CancellationToken cancellationToken, string? dryRun = null)
    {
        var (name, ns) = (service.Metadata.Name, service.Metadata.NamespaceProperty);
        try
        {
            await _client.CoreV1.CreateNamespacedServiceAsync(service, ns, dryRun: dryRun, cancellationToken: cancellationToken);
        }
        catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.Conflict))
        {
            var current = await ApiErrors.CallAsync($"read service {name} in namespace {ns}", async () =>
            {
                try
                {
                    return await _client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken);
                }
                catch (Exception gone) when (ApiErrors.IsStatus(gone, HttpStatusCode.NotFound))
                {
                    return null;
                }
            });
            if (current is null or { Metadata.DeletionTimestamp: not null })
            {
                // The Service of a function deleted a moment ago, gone or going between the create and the read: as for
                // its Deployment, a conflict (a redeploy raced with the delete), not a function that does not exist.
                throw ProviderException.Conflict($"function {name} in namespace {ns} is still being deleted: deploy it again once it is gone");
            }

            if (!FunctionObjects.IsManaged(current.Metadata))
            {
                throw ProviderException.Conflict($"a Service named {name} that the platform did not make exists in namespace {ns}");
            }

            service.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
            service.Spec.ClusterIP = current.Spec.ClusterIP;
            service.Spec.ClusterIPs = current.Spec.ClusterIPs;
            await ApiErrors.CallAsync($"update service {name} in namespace {ns}",
                () => _client.CoreV1.ReplaceNamespacedServiceAsync(service, name, ns, dryRun: dryRun, cancellationToken: cancellationToken));
        }
        catch (Exception error) when (ApiErrors.Map(error, $"create service {name} in namespace {ns}") is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>Validated for the cluster, in a function namespace, with every secret it names present (else Invalid, before anything is created).</summary>
    private async Task<(FunctionDeployment Function, IReadOnlySet<string> RegistrySecrets)> PrepareAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        var @namespace = await RequireFunctionNamespaceAsync(deployment.Namespace, cancellationToken);
        deployment = DeploymentValidator.Validate(deployment with { Namespace = @namespace });
        if (KubernetesNames.Check(deployment) is { } problem)
        {
            throw ProviderException.Invalid(problem);
        }

        var registrySecrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in deployment.Secrets ?? [])
        {
            try
            {
                var secret = await _client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: cancellationToken);
                if (secret.Type == FunctionObjects.RegistrySecretType)
                {
                    registrySecrets.Add(name);
                }
            }
            catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.NotFound))
            {
                throw ProviderException.Invalid($"required secret '{name}' was not found in namespace {@namespace}");
            }
            catch (Exception error) when (ApiErrors.Map(error, $"read secret {name} in namespace {@namespace}") is { } mapped)
            {
                throw mapped;
            }
        }

        return (deployment, registrySecrets);
    }

    /// <summary>The namespace a request names (or the default), if it is a function namespace; else Invalid, before any other call.</summary>
    private async Task<string> RequireFunctionNamespaceAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrEmpty(@namespace) ? _options.DefaultNamespace : DeploymentValidator.NamespaceOrDefault(@namespace);
        var known = _namespaces.IsSynced
            ? _namespaces.Get(name) is not null
            : (await ListLabelledNamespacesAsync(cancellationToken)).Any(ns => ns.Metadata.Name == name && IsLive(ns));
        return known ? name : throw ProviderException.Invalid($"namespace {name} is not a function namespace: it needs the label {_options.FunctionNamespaceLabel}");
    }

    /// <summary>A function named by a caller: a valid name (else Invalid, before it reaches an API path) in a function namespace.</summary>
    private async Task<FunctionKey> FunctionKeyAsync(string name, string? @namespace, CancellationToken cancellationToken) =>
        NameRules.CheckLabel("function name", name) is { } problem
            ? throw ProviderException.Invalid(problem)
            : new FunctionKey(name, await RequireFunctionNamespaceAsync(@namespace, cancellationToken));

    private async Task<IList<V1Namespace>> ListLabelledNamespacesAsync(CancellationToken cancellationToken) =>
        (await ApiErrors.CallAsync("list namespaces", () => _client.CoreV1.ListNamespaceAsync(labelSelector: _options.FunctionNamespaceLabel, cancellationToken: cancellationToken))).Items;

    /// <summary>The function's Deployment from the cache (or the server while the cache is not filled yet); NotFound unless the platform made it and it is not being deleted.</summary>
    private async Task<V1Deployment> GetDeploymentAsync(FunctionKey key, CancellationToken cancellationToken)
    {
        if (_namespaces.CachesOf(key.Namespace)?.Deployments is { IsSynced: true } cache)
        {
            return cache.Get(key.Name) is { } cached && IsLive(cached) ? ManagedOrNotFound(key, cached) : throw NotFound(key);
        }

        try
        {
            var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync(key.Name, key.Namespace, cancellationToken: cancellationToken);
            return IsLive(deployment) ? ManagedOrNotFound(key, deployment) : throw NotFound(key);
        }
        catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.NotFound))
        {
            throw NotFound(key);
        }
        catch (Exception error) when (ApiErrors.Map(error, $"read deployment {key.Name} in namespace {key.Namespace}") is { } mapped)
        {
            throw mapped;
        }
    }

    private static V1Deployment ManagedOrNotFound(FunctionKey key, V1Deployment deployment) =>
        deployment.Metadata.Labels?.ContainsKey(FunctionObjects.FunctionLabel) == true ? deployment : throw NotFound(key);

    private static ProviderException NotFound(FunctionKey key) => ProviderException.NotFound($"function {key.Name} not found in namespace {key.Namespace}");

    /// <summary>On a cluster, namespaces are the cluster administrator's: made with kubectl and the function-namespace label.</summary>
    private ProviderException NamespacesAreTheClusters() => ProviderException.NotSupported(
        $"on Kubernetes, function namespaces are made by the cluster's administrator: kubectl create namespace NAME && kubectl label namespace NAME {_options.FunctionNamespaceLabel}");
}
