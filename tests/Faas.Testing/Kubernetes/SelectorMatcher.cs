using System.Text.Json.Nodes;

namespace Faas.Testing.Kubernetes;

/// <summary>Equality-based label selectors as the API server reads them: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, comma-separated (all must hold).</summary>
public static class SelectorMatcher
{
    public static bool Matches(string? selector, JsonObject item)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }

        var labels = item["metadata"]?["labels"] as JsonObject;
        string? Label(string key) => labels?[key]?.GetValue<string>();
        foreach (var requirement in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var holds = requirement switch
            {
                _ when requirement.Contains("!=", StringComparison.Ordinal) => Label(requirement.Split("!=")[0]) != requirement.Split("!=")[1],
                _ when requirement.Contains("==", StringComparison.Ordinal) => Label(requirement.Split("==")[0]) == requirement.Split("==")[1],
                _ when requirement.Contains('=') => Label(requirement.Split('=')[0]) == requirement.Split('=')[1],
                _ when requirement.StartsWith('!') => Label(requirement[1..]) is null,
                _ => Label(requirement) is not null,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Null if the selector parses, else the API's complaint.</summary>
    public static string? Check(string? selector) =>
        selector?.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(part => part.Length == 0 || part.Contains(' ') || part.EndsWith('=')) is { } bad
            ? $"unable to parse requirement: found '{bad}', expected: identifier"
            : null;
}
