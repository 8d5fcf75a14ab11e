using Faas.Provider.Wire;

namespace Faas.Provider.Host.Replicas;

/// <summary>Where a backend keeps its functions' definitions across restarts (files, a container engine's volumes).</summary>
public interface IDefinitionStore
{
    Task<IReadOnlyList<StoredDefinition>> LoadAllAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces a function's definition.</summary>
    Task SaveAsync(StoredDefinition definition, CancellationToken cancellationToken);

    /// <summary>Remembers a new desired replica count, where the store keeps one (a container engine counts its containers instead).</summary>
    Task SaveReplicasAsync(FunctionKey key, int replicas, CancellationToken cancellationToken);

    Task DeleteAsync(FunctionKey key, CancellationToken cancellationToken);
}

/// <summary>A function's definition as stored: its deployment, when it was first deployed, and its desired replicas where the store keeps them.</summary>
public sealed record StoredDefinition(FunctionDeployment Deployment, DateTimeOffset CreatedAt, int? Replicas = null)
{
    public FunctionKey Key => new(Deployment.Service, Deployment.Namespace!);
}
