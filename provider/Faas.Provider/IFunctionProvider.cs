using Faas.Provider.Wire;

namespace Faas.Provider;

/// <summary>
/// Turns function definitions into running replicas. Every backend (local processes, Docker, Kubernetes)
/// implements this one contract; the gateway serves the OpenFaaS API on top of it. Failures are
/// <see cref="ProviderException"/>s (not found, conflict, invalid).
/// </summary>
public interface IFunctionProvider
{
    ProviderInfo Info { get; }

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

    Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken);

    /// <summary>The ready replicas of a function now (empty if none or unknown).</summary>
    IReadOnlyList<ReplicaEndpoint> GetReadyEndpoints(FunctionKey function);

    /// <summary>Every change to any function's ready replicas, from now until cancelled.</summary>
    IAsyncEnumerable<EndpointsChanged> WatchEndpointsAsync(CancellationToken cancellationToken);
}
