using System.Net;
using Faas.Provider.Kubernetes.Cluster;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Validation;
using Faas.Provider.Wire;
using k8s;
using k8s.Models;

namespace Faas.Provider.Kubernetes;

/// <summary>
/// Secrets made through the gateway's API, as Secrets labelled managed-by openfaas in function namespaces. Others in
/// the same namespace (a <c>regcred</c> made with kubectl, a service account's token) are neither listed, changed nor
/// deleted: to the API they do not exist.
/// </summary>
internal sealed class FunctionSecrets(IKubernetes client, Func<string?, CancellationToken, Task<string>> functionNamespace)
{
    private const string ManagedSelector = $"{FunctionObjects.ManagedByLabel}={FunctionObjects.ManagedBy}";

    public async Task CreateAsync(Secret secret, CancellationToken cancellationToken)
    {
        var ns = await functionNamespace(secret.Namespace, cancellationToken);
        Check(secret);
        try
        {
            await client.CoreV1.CreateNamespacedSecretAsync(FunctionObjects.Secret(secret, ns), ns, cancellationToken: cancellationToken);
        }
        catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.Conflict))
        {
            throw ProviderException.Conflict($"secret {secret.Name} already exists in namespace {ns}");
        }
        catch (Exception error) when (ApiErrors.Map(error, $"create secret {secret.Name} in namespace {ns}") is { } mapped)
        {
            throw mapped;
        }
    }

    public async Task UpdateAsync(Secret secret, CancellationToken cancellationToken)
    {
        var ns = await functionNamespace(secret.Namespace, cancellationToken);
        Check(secret);
        var current = await ManagedAsync(secret.Name, ns, cancellationToken);
        var replaced = FunctionObjects.Secret(secret, ns);
        replaced.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
        await ApiErrors.CallAsync($"update secret {secret.Name} in namespace {ns}",
            () => client.CoreV1.ReplaceNamespacedSecretAsync(replaced, secret.Name, ns, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Secret>> ListAsync(string @namespace, CancellationToken cancellationToken)
    {
        var ns = await functionNamespace(@namespace, cancellationToken);
        var list = await ApiErrors.CallAsync($"list secrets in namespace {ns}",
            () => client.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: ManagedSelector, cancellationToken: cancellationToken));
        return [.. list.Items.Select(item => new Secret { Name = item.Metadata.Name, Namespace = ns }).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    public async Task DeleteAsync(string name, string @namespace, CancellationToken cancellationToken)
    {
        var ns = await functionNamespace(@namespace, cancellationToken);
        await ManagedAsync(name, ns, cancellationToken);
        await ApiErrors.CallAsync($"delete secret {name} in namespace {ns}",
            () => client.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Which of the secrets a function names are registry credentials (its pods' image pull secrets); Invalid if one is
    /// missing. Any Secret of the namespace counts here, made through the API or not: a <c>regcred</c> made with kubectl
    /// is what a private image needs.
    /// </summary>
    public async Task<IReadOnlySet<string>> RegistrySecretsAmongAsync(IEnumerable<string> names, string ns, CancellationToken cancellationToken)
    {
        var registrySecrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            try
            {
                var secret = await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken);
                if (secret.Type == FunctionObjects.RegistrySecretType)
                {
                    registrySecrets.Add(name);
                }
            }
            catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.NotFound))
            {
                throw ProviderException.Invalid($"required secret '{name}' was not found in namespace {ns}");
            }
            catch (Exception error) when (ApiErrors.Map(error, $"read secret {name} in namespace {ns}") is { } mapped)
            {
                throw mapped;
            }
        }

        return registrySecrets;
    }

    /// <summary>The secret if the platform made it; NotFound otherwise, whether it is absent or someone else's.</summary>
    private async Task<V1Secret> ManagedAsync(string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken);
            return FunctionObjects.IsManagedSecret(secret.Metadata) ? secret : throw NotFound(name, ns);
        }
        catch (Exception error) when (ApiErrors.IsStatus(error, HttpStatusCode.NotFound))
        {
            throw NotFound(name, ns);
        }
        catch (Exception error) when (ApiErrors.Map(error, $"read secret {name} in namespace {ns}") is { } mapped)
        {
            throw mapped;
        }
    }

    private static ProviderException NotFound(string name, string ns) => ProviderException.NotFound($"secret {name} not found in namespace {ns}");

    private static void Check(Secret secret)
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
}
