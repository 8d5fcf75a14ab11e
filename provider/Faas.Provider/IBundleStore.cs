namespace Faas.Provider;

/// <summary>
/// Backends that run code without a registry (the local backend) accept function bundles: a gzipped tar of a
/// template's build output with a <c>faas-bundle.json</c> manifest. Stored content-addressed; the returned
/// reference (<c>bundle:NAME@sha256:HEX</c>) is used as the function's <c>image</c>.
/// </summary>
public interface IBundleStore
{
    Task<string> StoreBundleAsync(string name, Stream archive, CancellationToken cancellationToken);
}
