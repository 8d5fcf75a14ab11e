using System.Runtime.CompilerServices;
using Faas.Provider.Kubernetes.Client;
using Faas.Provider.Kubernetes.Endpoints;
using Faas.Provider.Kubernetes.Logs;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Kubernetes;

/// <summary>
/// The Kubernetes backend: a Deployment and a Service per function (<see cref="FunctionObjects"/>), in namespaces that
/// carry the configured label; replicas through the Deployment's <c>scale</c> subresource; secrets as Secrets; ready
/// replicas from EndpointSlices. The cluster is the record: nothing is kept here but caches.
/// </summary>
public sealed class KubernetesProvider : IFunctionProvider, IAsyncDisposable
{
    private readonly ClusterConnection? _connection;
    private readonly KubernetesProviderOptions _options;
    private readonly EndpointFeed _feed = new();
    private KubernetesClient _client = null!;
    private KubeResources _api = null!;
    private EndpointSliceWatcher _endpoints = null!;
    private PodLogs _logs = null!;
    private readonly FunctionLocks _locks = new();
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private Task _discovery = Task.CompletedTask;

    /// <summary>How often the function namespaces are listed again, so that one labelled later gets its endpoints watched.</summary>
    private static readonly TimeSpan NamespaceDiscoveryInterval = TimeSpan.FromSeconds(30);

    /// <summary>A provider for the cluster of <paramref name="connection"/> (else the kubeconfig, else in-cluster), connected by <see cref="StartAsync(CancellationToken)"/>.</summary>
    public KubernetesProvider(KubernetesProviderOptions options, ClusterConnection? connection = null, TimeProvider? clock = null)
    {
        _connection = connection;
        _options = options;
        _clock = clock ?? TimeProvider.System;
    }

    public ProviderInfo Info { get; } = new()
    {
        Provider = "faas-kubernetes",
        Orchestration = "kubernetes",
        Version = VersionInfo.Of(typeof(KubernetesProvider).Assembly),
    };

    /// <summary>A started provider (for callers without a host: tests).</summary>
    public static async Task<KubernetesProvider> StartAsync(KubernetesProviderOptions options, ClusterConnection? connection = null, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var provider = new KubernetesProvider(options, connection, clock);
        await provider.StartAsync(cancellationToken);
        return provider;
    }

    /// <summary>Connects (kubeconfig or in-cluster unless a connection was given) and starts watching every function namespace's endpoints.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _client = new KubernetesClient(_connection ?? KubeConfig.Load(_options.Kubeconfig));
            _api = _client.Resources;
            _endpoints = new EndpointSliceWatcher(_api, _feed);
            _logs = new PodLogs(_api);
            foreach (var @namespace in await ListNamespacesAsync(cancellationToken))
            {
                _endpoints.Watch(@namespace);
            }
        }
        catch (KubeConfigException error)
        {
            throw ProviderStartException.BadSettings(error.Message, error);
        }
        catch (Exception error) when (error is KubernetesException or HttpRequestException)
        {
            throw ProviderStartException.Unreachable($"the Kubernetes backend cannot start: {error.Message}", error);
        }

        _discovery = Task.Run(() => DiscoverNamespacesAsync(_stop.Token), CancellationToken.None);
    }

    public async Task DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        deployment = await PrepareAsync(deployment, cancellationToken);
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        await _locks.RunAsync(key, async () =>
        {
            var objects = FunctionObjects.Deployment(deployment, _options, ScalingLabels.InitialReplicas(deployment.Labels), _clock.GetUtcNow());
            try
            {
                await _api.Deployments.CreateAsync(key.Namespace, objects, cancellationToken);
            }
            catch (KubernetesException error) when (error.IsConflict)
            {
                throw ProviderException.Conflict($"function {key.Name} already exists in namespace {key.Namespace}");
            }
            catch (KubernetesException error) when (error.IsInvalid)
            {
                throw ProviderException.Invalid($"the cluster refused function {key.Name}: {error.FieldMessage}");
            }

            await ApplyServiceAsync(deployment, cancellationToken);
            _endpoints.Watch(key.Namespace);
        }, cancellationToken);
    }

    public async Task UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        deployment = await PrepareAsync(deployment, cancellationToken);
        var key = new FunctionKey(deployment.Service, deployment.Namespace!);
        await _locks.RunAsync(key, async () =>
        {
            // Replicas belong to the autoscaler and the user: an update keeps the current count. A concurrent change
            // (the autoscaler scaling) makes the replace a 409: read again and retry.
            for (var attempt = 1; ; attempt++)
            {
                var current = await GetDeploymentAsync(key, cancellationToken);
                var replaced = FunctionObjects.Deployment(deployment, _options, current.Spec.Replicas ?? 1, _clock.GetUtcNow());
                replaced = replaced with { Metadata = replaced.Metadata with { ResourceVersion = current.Metadata.ResourceVersion } };
                try
                {
                    await _api.Deployments.ReplaceAsync(key.Namespace, key.Name, replaced, cancellationToken);
                    break;
                }
                catch (KubernetesException error) when (error.IsConflict && attempt < 5)
                {
                }
                catch (KubernetesException error) when (error.IsInvalid)
                {
                    throw ProviderException.Invalid($"the cluster refused function {key.Name}: {error.FieldMessage}");
                }
            }

            await ApplyServiceAsync(deployment, cancellationToken);
        }, cancellationToken);
    }

    public Task DeleteAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        var key = new FunctionKey(name, NamespaceOrDefault(@namespace));
        return _locks.RunAsync(key, async () =>
        {
            await GetDeploymentAsync(key, cancellationToken);
            await _api.Deployments.DeleteAsync(key.Namespace, key.Name, "Foreground", cancellationToken);
            try
            {
                await _api.Services.DeleteAsync(key.Namespace, key.Name, "Foreground", cancellationToken);
            }
            catch (KubernetesException error) when (error.IsNotFound)
            {
            }
        }, cancellationToken);
    }

    public async Task<FunctionStatus> GetAsync(string name, string @namespace, CancellationToken cancellationToken) =>
        FunctionObjects.Status(await GetDeploymentAsync(new FunctionKey(name, NamespaceOrDefault(@namespace)), cancellationToken));

    public async Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken)
    {
        var list = await _api.Deployments.ListAsync(NamespaceOrDefault(@namespace), FunctionObjects.FunctionLabel, cancellationToken);
        return [.. list.Items.Select(FunctionObjects.Status).OrderBy(status => status.Name, StringComparer.Ordinal)];
    }

    public Task ScaleAsync(ScaleServiceRequest request, CancellationToken cancellationToken)
    {
        if (request.Replicas > int.MaxValue)
        {
            throw ProviderException.Invalid($"replicas {request.Replicas} is out of range");
        }

        var key = new FunctionKey(request.ServiceName, NamespaceOrDefault(request.Namespace));
        return _locks.RunAsync(key, async () =>
        {
            try
            {
                await _api.PatchScaleAsync(key.Namespace, key.Name, (int)request.Replicas, cancellationToken);
            }
            catch (KubernetesException error) when (error.IsNotFound)
            {
                throw NotFound(key);
            }
        }, cancellationToken);
    }

    public async IAsyncEnumerable<LogMessage> GetLogsAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = new FunctionKey(request.Name, NamespaceOrDefault(request.Namespace));
        await GetDeploymentAsync(key, cancellationToken);
        await foreach (var message in _logs.ReadAsync(key, request, cancellationToken))
        {
            yield return message;
        }
    }

    public async Task CreateSecretAsync(Secret secret, CancellationToken cancellationToken)
    {
        var @namespace = NamespaceOrDefault(secret.Namespace);
        CheckSecret(secret);
        try
        {
            await _api.Secrets.CreateAsync(@namespace, FunctionObjects.Secret(secret, @namespace), cancellationToken);
        }
        catch (KubernetesException error) when (error.IsConflict)
        {
            throw ProviderException.Conflict($"secret {secret.Name} already exists in namespace {@namespace}");
        }
    }

    public async Task UpdateSecretAsync(Secret secret, CancellationToken cancellationToken)
    {
        var @namespace = NamespaceOrDefault(secret.Namespace);
        CheckSecret(secret);
        try
        {
            var current = await _api.Secrets.GetAsync(@namespace, secret.Name, cancellationToken);
            var replaced = FunctionObjects.Secret(secret, @namespace);
            await _api.Secrets.ReplaceAsync(@namespace, secret.Name, replaced with { Metadata = replaced.Metadata with { ResourceVersion = current.Metadata.ResourceVersion } }, cancellationToken);
        }
        catch (KubernetesException error) when (error.IsNotFound)
        {
            throw ProviderException.NotFound($"secret {secret.Name} not found in namespace {@namespace}");
        }
    }

    public async Task<IReadOnlyList<Secret>> ListSecretsAsync(string @namespace, CancellationToken cancellationToken)
    {
        var ns = NamespaceOrDefault(@namespace);
        var list = await _api.Secrets.ListAsync(ns, $"{FunctionObjects.ManagedByLabel}={FunctionObjects.ManagedBy}", cancellationToken);
        return [.. list.Items.Select(item => new Secret { Name = item.Metadata.Name ?? "", Namespace = ns }).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    public async Task DeleteSecretAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        var ns = NamespaceOrDefault(@namespace);
        try
        {
            await _api.Secrets.DeleteAsync(ns, name, "Background", cancellationToken);
        }
        catch (KubernetesException error) when (error.IsNotFound)
        {
            throw ProviderException.NotFound($"secret {name} not found in namespace {ns}");
        }
    }

    /// <summary>Only namespaces carrying <see cref="KubernetesProviderOptions.FunctionNamespaceLabel"/>.</summary>
    public async Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken)
    {
        var list = await _api.Namespaces.ListAsync(null, _options.FunctionNamespaceLabel, cancellationToken);
        return [.. list.Items.Select(item => item.Metadata.Name).OfType<string>().Order(StringComparer.Ordinal)];
    }

    public async Task<FunctionNamespace> GetNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        var list = await _api.Namespaces.ListAsync(null, _options.FunctionNamespaceLabel, cancellationToken);
        var found = list.Items.FirstOrDefault(item => item.Metadata.Name == name)
            ?? throw ProviderException.NotFound($"namespace {name} not found (or not labelled {_options.FunctionNamespaceLabel})");
        return new FunctionNamespace
        {
            Name = name,
            Labels = new Dictionary<string, string>(found.Metadata.Labels ?? [], StringComparer.Ordinal),
            Annotations = new Dictionary<string, string>(found.Metadata.Annotations ?? [], StringComparer.Ordinal),
        };
    }

    public Task CreateNamespaceAsync(FunctionNamespace @namespace, CancellationToken cancellationToken) => throw NamespacesAreTheClusters();

    public Task UpdateNamespaceAsync(FunctionNamespace @namespace, CancellationToken cancellationToken) => throw NamespacesAreTheClusters();

    public Task DeleteNamespaceAsync(string name, CancellationToken cancellationToken) => throw NamespacesAreTheClusters();

    public IReadOnlyList<ReplicaEndpoint> GetReadyEndpoints(FunctionKey function) => _endpoints.ReadyEndpoints(function);

    public IAsyncEnumerable<EndpointsChanged> WatchEndpointsAsync(CancellationToken cancellationToken) => _feed.WatchAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _discovery;
        await _endpoints.DisposeAsync();
        _client.Dispose();
    }

    private async Task DiscoverNamespacesAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(NamespaceDiscoveryInterval, stopping);
                foreach (var @namespace in await ListNamespacesAsync(stopping))
                {
                    _endpoints.Watch(@namespace);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is KubernetesException or HttpRequestException or IOException)
            {
            }
        }
    }

    /// <summary>Validated, in a function namespace, with every secret it names present (else Invalid, before anything is created).</summary>
    private async Task<FunctionDeployment> PrepareAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        deployment = DeploymentValidator.Validate(deployment with { Namespace = NamespaceOrDefault(deployment.Namespace) });
        if (!(await ListNamespacesAsync(cancellationToken)).Contains(deployment.Namespace!))
        {
            throw ProviderException.Invalid($"namespace {deployment.Namespace} is not a function namespace: it needs the label {_options.FunctionNamespaceLabel}");
        }

        foreach (var secret in deployment.Secrets ?? [])
        {
            try
            {
                await _api.Secrets.GetAsync(deployment.Namespace, secret, cancellationToken);
            }
            catch (KubernetesException error) when (error.IsNotFound)
            {
                throw ProviderException.Invalid($"required secret '{secret}' was not found in namespace {deployment.Namespace}");
            }
        }

        return deployment;
    }

    /// <summary>Creates the function's Service, or replaces it (keeping the cluster-assigned fields) if it exists.</summary>
    private async Task ApplyServiceAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        var service = FunctionObjects.Service(deployment);
        try
        {
            await _api.Services.CreateAsync(deployment.Namespace, service, cancellationToken);
        }
        catch (KubernetesException error) when (error.IsConflict)
        {
            var current = await _api.Services.GetAsync(deployment.Namespace, deployment.Service, cancellationToken);
            await _api.Services.ReplaceAsync(deployment.Namespace, deployment.Service, service with
            {
                Metadata = service.Metadata with { ResourceVersion = current.Metadata.ResourceVersion },
                Spec = service.Spec with { ClusterIP = current.Spec.ClusterIP },
            }, cancellationToken);
        }
    }

    private async Task<Api.Deployment> GetDeploymentAsync(FunctionKey key, CancellationToken cancellationToken)
    {
        try
        {
            var deployment = await _api.Deployments.GetAsync(key.Namespace, key.Name, cancellationToken);
            return deployment.Metadata.Labels?.ContainsKey(FunctionObjects.FunctionLabel) == true ? deployment : throw NotFound(key);
        }
        catch (KubernetesException error) when (error.IsNotFound)
        {
            throw NotFound(key);
        }
    }

    private static void CheckSecret(Secret secret)
    {
        if (NameRules.CheckLabel("secret name", secret.Name) is { } problem)
        {
            throw ProviderException.Invalid(problem);
        }

        if (secret.Value is null && secret.RawValue is null)
        {
            throw ProviderException.Invalid($"secret {secret.Name} has neither value nor rawValue");
        }
    }

    private string NamespaceOrDefault(string? @namespace) =>
        string.IsNullOrEmpty(@namespace) ? _options.DefaultNamespace : DeploymentValidator.NamespaceOrDefault(@namespace);

    private static ProviderException NotFound(FunctionKey key) => ProviderException.NotFound($"function {key.Name} not found in namespace {key.Namespace}");

    /// <summary>On a cluster, namespaces are the cluster administrator's: made with kubectl and the function-namespace label.</summary>
    private ProviderException NamespacesAreTheClusters() => ProviderException.NotSupported(
        $"on Kubernetes, function namespaces are made by the cluster's administrator: kubectl create namespace NAME && kubectl label namespace NAME {_options.FunctionNamespaceLabel}");
}
