using System.Text.RegularExpressions;

namespace Faas.Provider.Validation;

/// <summary>The naming rules every backend shares (they are Kubernetes' rules, so a function moves between backends unchanged).</summary>
public static partial class NameRules
{
    public const string DefaultNamespace = "openfaas-fn";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariable();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex QualifiedName();

    /// <summary>Null if <paramref name="value"/> is a DNS-1123 label (lower-case alphanumerics and '-', at most 63), else why not.</summary>
    public static string? CheckLabel(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{field} is required";
        }

        if (value.Length > 63)
        {
            return $"{field} \"{value}\" is longer than 63 characters";
        }

        return Dns1123Label().IsMatch(value)
            ? null
            : $"{field} \"{value}\" must consist of lower-case letters, digits and '-', and start and end with a letter or digit";
    }

    public static string? CheckEnvironmentVariable(string field, string name) =>
        EnvironmentVariable().IsMatch(name) ? null : $"{field} has an invalid environment variable name \"{name}\"";

    /// <summary>Kubernetes label and annotation keys: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static string? CheckKey(string field, string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        var prefix = key.Length > name.Length ? key[..(key.Length - name.Length - 1)] : "";
        return key.Length > 0 && name.Length <= 63 && prefix.Length <= 253 && QualifiedName().IsMatch(key)
            ? null
            : $"{field} has an invalid key \"{key}\"";
    }
}
