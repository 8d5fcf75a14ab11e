using System.Text;
using Faas.Provider.Host.State;
using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Host.Secrets;

/// <summary>
/// Secrets as files with mode 0600 under <c>secrets/NAMESPACE/NAME</c>, for the backends whose replicas run on this
/// host (local, Docker); its methods are the provider contract's, so a backend passes calls straight through.
/// Values are only ever read to hand them to a function; listing returns names.
/// </summary>
public sealed class SecretStore(StateDirectory state)
{
    private readonly Lock _lock = new();

    public Task CreateAsync(Secret secret)
    {
        Write(secret, mustExist: false);
        return Task.CompletedTask;
    }

    public Task UpdateAsync(Secret secret)
    {
        Write(secret, mustExist: true);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Secret>> ListAsync(string? @namespace)
    {
        var ns = DeploymentValidator.NamespaceOrDefault(@namespace);
        var directory = state.Secrets(ns);
        IReadOnlyList<Secret> secrets = Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory).Select(Path.GetFileName).Where(name => !name!.Contains(".tmp-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                .Select(name => new Secret { Name = name!, Namespace = ns })]
            : [];
        return Task.FromResult(secrets);
    }

    public bool Exists(string name, string @namespace) => File.Exists(PathOf(name, @namespace));

    public Task DeleteAsync(string name, string? @namespace)
    {
        Delete(SecretValidator.CheckName(name), DeploymentValidator.NamespaceOrDefault(@namespace));
        return Task.CompletedTask;
    }

    private void Delete(string name, string @namespace)
    {
        lock (_lock)
        {
            var path = PathOf(name, @namespace);
            if (!File.Exists(path))
            {
                throw ProviderException.NotFound($"secret {name} not found in namespace {@namespace}");
            }

            File.Delete(path);
        }
    }

    /// <summary>Copies the named secrets into <paramref name="directory"/> (0700, files 0600) for a function to read.</summary>
    public void Materialize(IEnumerable<string> names, string @namespace, string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        StateDirectory.EnsureDirectory(directory);
        foreach (var name in names)
        {
            StateDirectory.WriteAtomically(Path.Combine(directory, name), File.ReadAllBytes(PathOf(name, @namespace)));
        }
    }

    private void Write(Secret secret, bool mustExist)
    {
        secret = SecretValidator.Validate(secret);
        var @namespace = secret.Namespace!;
        if (secret.Value is null && secret.RawValue is null)
        {
            throw ProviderException.Invalid($"secret {secret.Name} has neither value nor rawValue");
        }

        lock (_lock)
        {
            var path = PathOf(secret.Name, @namespace);
            if (mustExist && !File.Exists(path))
            {
                throw ProviderException.NotFound($"secret {secret.Name} not found in namespace {@namespace}");
            }

            if (!mustExist && File.Exists(path))
            {
                throw ProviderException.Conflict($"secret {secret.Name} already exists in namespace {@namespace}");
            }

            StateDirectory.WriteAtomically(path, secret.RawValue ?? Encoding.UTF8.GetBytes(secret.Value!));
        }
    }

    /// <summary>The file of a secret; a name that would lead out of its namespace's directory is refused, whoever called.</summary>
    private string PathOf(string name, string @namespace)
    {
        var directory = state.Secrets(DeploymentValidator.NamespaceOrDefault(@namespace));
        var path = Path.GetFullPath(Path.Combine(directory, SecretValidator.CheckName(name)));
        return Path.GetDirectoryName(path) == directory ? path : throw ProviderException.Invalid($"secret name \"{name}\" is not a plain name");
    }
}
