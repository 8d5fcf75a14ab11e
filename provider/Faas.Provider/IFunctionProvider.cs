using Faas.Provider.Wire;

namespace Faas.Provider;

/// <summary>
/// Turns function definitions into running replicas. Every backend (local processes, Docker, Kubernetes)
/// implements this one contract; the gateway serves the OpenFaaS API on top of it. Failures are
/// <see cref="ProviderException"/>s (not found, conflict, invalid, not supported by this backend).
/// </summary>
public interface IFunctionProvider
{
    ProviderInfo Info { get; }

    /// <summary>
    /// Connects to what runs replicas and brings back what was deployed; called once by the host before any other call.
    /// A backend that cannot start throws <see cref="ProviderStartException"/> saying why.
    /// </summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Creates a function; Conflict if it exists. Returns once its definition is durable, not when replicas are ready.</summary>
    Task DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken);

    /// <summary>Replaces a function's definition with a rolling update; NotFound if it does not exist.</summary>
    Task UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken);

    Task DeleteAsync(string name, string @namespace, CancellationToken cancellationToken);

    Task<FunctionStatus> GetAsync(string name, string @namespace, CancellationToken cancellationToken);

    Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken);

    Task ScaleAsync(ScaleServiceRequest request, CancellationToken cancellationToken);

    IAsyncEnumerable<LogMessage> GetLogsAsync(LogRequest request, CancellationToken cancellationToken);

    Task CreateSecretAsync(Secret secret, CancellationToken cancellationToken);

    Task UpdateSecretAsync(Secret secret, CancellationToken cancellationToken);

    /// <summary>Names (and namespaces) only: values never leave the provider.</summary>
    Task<IReadOnlyList<Secret>> ListSecretsAsync(string @namespace, CancellationToken cancellationToken);

    Task DeleteSecretAsync(string name, string @namespace, CancellationToken cancellationToken);

    /// <summary>Every namespace that exists: made through the API, configured, or holding functions.</summary>
    Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken);

    /// <summary>A namespace with its labels and annotations; NotFound if it does not exist.</summary>
    Task<FunctionNamespace> GetNamespaceAsync(string name, CancellationToken cancellationToken);

    /// <summary>Makes a namespace (Conflict if it exists); NotSupported where namespaces are made outside the platform.</summary>
    Task CreateNamespaceAsync(FunctionNamespace @namespace, CancellationToken cancellationToken);

    /// <summary>Replaces a namespace's labels and annotations; NotFound if it does not exist.</summary>
    Task UpdateNamespaceAsync(FunctionNamespace @namespace, CancellationToken cancellationToken);

    /// <summary>Removes an empty namespace; Conflict while it holds functions or secrets.</summary>
    Task DeleteNamespaceAsync(string name, CancellationToken cancellationToken);

    /// <summary>The ready replicas of a function now (empty if none or unknown).</summary>
    IReadOnlyList<ReplicaEndpoint> GetReadyEndpoints(FunctionKey function);

    /// <summary>Every change to any function's ready replicas, from now until cancelled.</summary>
    IAsyncEnumerable<EndpointsChanged> WatchEndpointsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether this gateway runs the singletons (autoscaler, cron triggers). Always, unless the backend elects one of
    /// several gateway replicas (Kubernetes: a Lease); the others serve invocations only.
    /// </summary>
    bool IsLeader => true;

    /// <summary>Why the backend is degraded now (for example its API server unreachable); null while it is healthy.</summary>
    string? Problem => null;
}
