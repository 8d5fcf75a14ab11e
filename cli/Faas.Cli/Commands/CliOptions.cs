using System.CommandLine;
using System.Text.RegularExpressions;
using Faas.Cli.Gateway;
using Faas.Cli.Stack;

namespace Faas.Cli.Commands;

/// <summary>Options shared by many commands, and the steps they share: finding the stack, the gateway, the functions to act on.</summary>
internal static class CliOptions
{
    public static readonly Option<string?> Gateway = new("--gateway", "-g") { Description = "Gateway URL (default: FAAS_URL, OPENFAAS_URL, the stack's provider.gateway, http://127.0.0.1:8080)", Recursive = true };

    public static readonly Option<string?> Namespace = new("--namespace", "-n") { Description = "Function namespace (default: the gateway's, openfaas-fn)", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "More detail in output and errors", Recursive = true };

    public static readonly Option<string?> StackFile = new("--yaml", "-f") { Description = "The stack file (default: stack.yaml or stack.yml)", Recursive = true };

    public static readonly Option<string?> Filter = new("--filter") { Description = "Only functions whose name matches this wildcard (*, ?)" };

    public static readonly Option<string?> Regex = new("--regex") { Description = "Only functions whose name matches this regular expression" };

    public static readonly Option<int> Parallel = new("--parallel") { Description = "Functions handled at once", DefaultValueFactory = _ => 1 };

    /// <summary>The stack file if one is named or present (null otherwise).</summary>
    public static Stack.StackFile? OptionalStack(ParseResult result) =>
        StackLoader.Locate(result.GetValue(StackFile)) is { } path ? StackLoader.Load(path) : null;

    public static Stack.StackFile RequiredStack(ParseResult result) =>
        OptionalStack(result) ?? throw CliException.BadInput("no stack file: pass -f FILE, or create stack.yml with 'faas new NAME --lang LANG'");

    public static GatewayClient Client(ParseResult result, Stack.StackFile? stack = null) =>
        new(GatewayResolver.Resolve(result.GetValue(Gateway), stack ?? OptionalStack(result)));

    /// <summary>The stack's functions selected by --filter and --regex, in name order.</summary>
    public static List<(string Name, StackFunction Function)> Selected(ParseResult result, Stack.StackFile stack)
    {
        var filter = result.GetValue(Filter);
        Regex? wildcard = filter is null ? null : new Regex("^" + System.Text.RegularExpressions.Regex.Escape(filter).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$");
        Regex? pattern;
        try
        {
            pattern = result.GetValue(Regex) is { } text ? new Regex(text) : null;
        }
        catch (ArgumentException error)
        {
            throw CliException.BadInput($"--regex: {error.Message}");
        }

        var selected = stack.Functions
            .Where(pair => (wildcard?.IsMatch(pair.Key) ?? true) && (pattern?.IsMatch(pair.Key) ?? true))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => (pair.Key, pair.Value))
            .ToList();
        return selected.Count > 0 ? selected : throw CliException.BadInput($"no function in {stack.Path} matches the filter");
    }

    public static string? NamespaceOf(ParseResult result) => result.GetValue(Namespace) is { Length: > 0 } ns ? ns : null;
}
