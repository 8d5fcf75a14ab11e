using System.Text;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Processes;

/// <summary>
/// Request metadata for fork-mode functions, named as of-watchdog names it: <c>Http_Method</c>, <c>Http_Path</c>,
/// <c>Http_Query</c>, <c>Http_Transfer_Encoding</c>, and every header as <c>Http_&lt;Canonical_Name&gt;</c>.
/// </summary>
internal static class CgiEnvironment
{
    public static List<KeyValuePair<string, string>> For(HttpRequest request)
    {
        var variables = new List<KeyValuePair<string, string>>(request.Headers.Count + 4);
        foreach (var (name, values) in request.Headers)
        {
            variables.Add(new("Http_" + CanonicalName(name), values.ToString()));
        }

        variables.Add(new("Http_Method", request.Method));
        if (request.QueryString.HasValue)
        {
            variables.Add(new("Http_Query", request.QueryString.Value![1..]));
        }

        variables.Add(new("Http_Path", request.Path.HasValue ? request.Path.Value! : "/"));
        if (request.Headers.TransferEncoding.Count > 0)
        {
            variables.Add(new("Http_Transfer_Encoding", request.Headers.TransferEncoding.ToString()));
        }

        return variables;
    }

    /// <summary>Go's canonical header form with dashes as underscores: "x-call-id" becomes "X_Call_Id".</summary>
    public static string CanonicalName(string header)
    {
        var builder = new StringBuilder(header.Length);
        var upper = true;
        foreach (var c in header)
        {
            if (c == '-')
            {
                builder.Append('_');
                upper = true;
            }
            else
            {
                builder.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
                upper = false;
            }
        }

        return builder.ToString();
    }
}
