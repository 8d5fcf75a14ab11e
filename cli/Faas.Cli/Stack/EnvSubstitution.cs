using System.Text.RegularExpressions;

namespace Faas.Cli.Stack;

/// <summary>
/// <c>${VAR}</c> and <c>${VAR:-default}</c> in stack files, as faas-cli's envsubst does: an unset variable is empty
/// (or the default), <c>$$</c> is a literal dollar.
/// </summary>
internal static partial class EnvSubstitution
{
    public static string Apply(string text, Func<string, string?> lookup) =>
        Pattern().Replace(text, match =>
        {
            if (match.Value == "$$")
            {
                return "$";
            }

            var name = match.Groups["name"].Value;
            var value = lookup(name);
            return match.Groups["default"].Success && string.IsNullOrEmpty(value) ? match.Groups["default"].Value : value ?? "";
        });

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?<default>[^}]*))?\}")]
    private static partial Regex Pattern();
}
