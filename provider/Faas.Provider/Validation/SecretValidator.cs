using Faas.Provider.Wire;

namespace Faas.Provider.Validation;

/// <summary>
/// Secret names are DNS-1123 labels, like the names functions use for them, on every route and backend: a name is
/// never a path (no '/', no '..'), so a secret store can use it as a file name.
/// </summary>
public static class SecretValidator
{
    /// <summary>The secret with its namespace filled in; Invalid naming the bad field otherwise.</summary>
    public static Secret Validate(Secret secret) => secret with
    {
        Name = CheckName(secret.Name),
        Namespace = DeploymentValidator.NamespaceOrDefault(secret.Namespace),
    };

    /// <summary>The name, if it is a valid secret name; Invalid otherwise.</summary>
    public static string CheckName(string? name) =>
        NameRules.CheckLabel("secret name", name) is { } problem ? throw ProviderException.Invalid(problem) : name!;
}
