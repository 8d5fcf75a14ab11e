using System.Runtime.CompilerServices;
using Faas.Provider.Kubernetes.Cluster;
using Faas.Provider.Kubernetes.Leadership;
using Faas.Provider.Kubernetes.Logs;
using Faas.Provider.Kubernetes.Namespaces;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Kubernetes.Pods;
using Faas.Provider.Kubernetes.Workloads;
using Faas.Provider.Validation;
using Faas.Provider.Wire;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faas.Provider.Kubernetes;

/// <summary>
/// The Kubernetes backend: a Deployment and a Service per function (<see cref="FunctionObjects"/>, written by
/// <see cref="FunctionWorkloads"/>), in namespaces that carry the configured label; replicas through the Deployment's
/// <c>scale</c> subresource; secrets as Secrets; ready replicas from EndpointSlices. The cluster is the record; reads
/// come from watch-fed caches (<see cref="FunctionNamespaces"/>), writes go to the API server. It acts only in function
/// namespaces and only on objects it made.
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
    private FunctionWorkloads _workloads = null!;
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
        _workloads = new FunctionWorkloads(client, _namespaces);
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
        await _locks.RunAsync(key, () => _workloads.CreateAsync(
            key,
            FunctionObjects.Deployment(function, _options.Pods, ScalingLabels.InitialReplicas(function.Labels), _clock.GetUtcNow(), registrySecrets),
            FunctionObjects.Service(function),
            cancellationToken), cancellationToken);
    }

    public async Task UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        var (function, registrySecrets) = await PrepareAsync(deployment, cancellationToken);
        var key = new FunctionKey(function.Service, function.Namespace!);
        await _locks.RunAsync(key, () => _workloads.ReplaceAsync(
            key,
            current => FunctionObjects.Deployment(function, _options.Pods, current.Spec.Replicas ?? 1, _clock.GetUtcNow(), registrySecrets),
            FunctionObjects.Service(function),
            cancellationToken), cancellationToken);
    }

    public async Task DeleteAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        var key = await FunctionKeyAsync(name, @namespace, cancellationToken);
        await _locks.RunAsync(key, () => _workloads.DeleteAsync(key, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The function's Deployment, with its pods' restarts and failures when it has no ready replica to route to (the
    /// list leaves them out: the autoscaler reads it every second).
    /// </summary>
    public async Task<FunctionStatus> GetAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        var key = await FunctionKeyAsync(name, @namespace, cancellationToken);
        var status = FunctionObjects.Status(await _workloads.GetAsync(key, cancellationToken));
        return GetReadyEndpoints(key).Count > 0 ? status : await _podHealth.AddAsync(key, status, cancellationToken);
    }

    public async Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken)
    {
        var ns = await RequireFunctionNamespaceAsync(@namespace, cancellationToken);
        return [.. (await _workloads.ListAsync(ns, cancellationToken)).Select(FunctionObjects.Status).OrderBy(status => status.Name, StringComparer.Ordinal)];
    }

    public async Task ScaleAsync(ScaleServiceRequest request, CancellationToken cancellationToken)
    {
        if (request.Replicas > int.MaxValue)
        {
            throw ProviderException.Invalid($"replicas {request.Replicas} is out of range");
        }

        var key = await FunctionKeyAsync(request.ServiceName, request.Namespace, cancellationToken);
        await _locks.RunAsync(key, () => _workloads.ScaleAsync(key, (int)request.Replicas, cancellationToken), cancellationToken);
    }

    public async IAsyncEnumerable<LogMessage> GetLogsAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = await FunctionKeyAsync(request.Name, request.Namespace, cancellationToken);
        await _workloads.GetAsync(key, cancellationToken);
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
            : [.. (await ListLabelledNamespacesAsync(cancellationToken)).Where(ObjectLife.IsLive).Select(ns => ns.Metadata.Name).Order(StringComparer.Ordinal)];

    public async Task<FunctionNamespace> GetNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        var found = (_namespaces.IsSynced ? _namespaces.Get(name) : (await ListLabelledNamespacesAsync(cancellationToken)).FirstOrDefault(ns => ns.Metadata.Name == name && ns.IsLive()))
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

    /// <summary>Validated for the cluster, in a function namespace, with every secret it names present (else Invalid, before anything is created).</summary>
    private async Task<(FunctionDeployment Function, IReadOnlySet<string> RegistrySecrets)> PrepareAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        var @namespace = await RequireFunctionNamespaceAsync(deployment.Namespace, cancellationToken);
        deployment = DeploymentValidator.Validate(deployment with { Namespace = @namespace });
        if (KubernetesNames.Check(deployment) is { } problem)
        {
            throw ProviderException.Invalid(problem);
        }

        return (deployment, await _secrets.RegistrySecretsAmongAsync(deployment.Secrets ?? [], @namespace, cancellationToken));
    }

    /// <summary>The namespace a request names (or the default), if it is a function namespace; else Invalid, before any other call.</summary>
    private async Task<string> RequireFunctionNamespaceAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrEmpty(@namespace) ? _options.DefaultNamespace : DeploymentValidator.NamespaceOrDefault(@namespace);
        var known = _namespaces.IsSynced
            ? _namespaces.Get(name) is not null
            : (await ListLabelledNamespacesAsync(cancellationToken)).Any(ns => ns.Metadata.Name == name && ns.IsLive());
        return known ? name : throw ProviderException.Invalid($"namespace {name} is not a function namespace: it needs the label {_options.FunctionNamespaceLabel}");
    }

    /// <summary>A function named by a caller: a valid name (else Invalid, before it reaches an API path) in a function namespace.</summary>
    private async Task<FunctionKey> FunctionKeyAsync(string name, string? @namespace, CancellationToken cancellationToken) =>
        NameRules.CheckLabel("function name", name) is { } problem
            ? throw ProviderException.Invalid(problem)
            : new FunctionKey(name, await RequireFunctionNamespaceAsync(@namespace, cancellationToken));

    private async Task<IList<V1Namespace>> ListLabelledNamespacesAsync(CancellationToken cancellationToken) =>
        (await ApiErrors.CallAsync("list namespaces", () => _client.CoreV1.ListNamespaceAsync(labelSelector: _options.FunctionNamespaceLabel, cancellationToken: cancellationToken))).Items;

    /// <summary>On a cluster, namespaces are the cluster administrator's: made with kubectl and the function-namespace label.</summary>
    private ProviderException NamespacesAreTheClusters() => ProviderException.NotSupported(
        $"on Kubernetes, function namespaces are made by the cluster's administrator: kubectl create namespace NAME && kubectl label namespace NAME {_options.FunctionNamespaceLabel}");
}
