using Faas.Conventions;

namespace Faas.Gateway.Connectors;

/// <summary>
/// A message's headers or properties as request headers: each named <c>X-NAME</c> (kept as is when it already starts
/// with <c>X-</c>). A name that is not an HTTP token, a value with control characters, and the headers the gateway sets
/// itself are left out, so a publisher cannot forge them or break the request.
/// </summary>
internal static class MessageHeaders
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "X-Topic", "X-Connector", InvocationHeaders.CallId, "X-Callback-Url", Faas.Gateway.Security.InternalCaller.Header };

    public static IEnumerable<KeyValuePair<string, string>> ToRequestHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            var header = name.StartsWith("X-", StringComparison.OrdinalIgnoreCase) ? name : "X-" + name;
            if (name.Length > 0 && name.All(IsTokenChar) && !value.Any(char.IsControl) && !Reserved.Contains(header))
            {
                yield return new(header, value);
            }
        }
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
