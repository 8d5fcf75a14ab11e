using Faas.Provider;
using Faas.Provider.Validation;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Gateway.Calls;

/// <summary>How <c>/function/</c> and <c>/async-function/</c> routes name a function and what follows it.</summary>
internal static class FunctionRoute
{
    /// <summary>"name" or "name.namespace", as OpenFaaS routes them.</summary>
    public static FunctionKey Parse(string function)
    {
        var dot = function.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? new FunctionKey(function, NameRules.DefaultNamespace)
            : new FunctionKey(function[..dot], DeploymentValidator.NamespaceOrDefault(function[(dot + 1)..]));
    }

    /// <summary>The request-target after <paramref name="prefix"/> (e.g. <c>/function/NAME</c>), from the raw target so percent-encoding is kept.</summary>
    public static string Rest(HttpContext context, string prefix)
    {
        var raw = OriginForm(context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString);
        var rest = raw.StartsWith(prefix, StringComparison.Ordinal) ? raw[prefix.Length..] : context.Request.QueryString.ToString();
        return rest.StartsWith('/') ? rest : "/" + rest;
    }

    /// <summary>
    /// The path and query of a request-target. A client that treats the gateway as a proxy sends the absolute form
    /// (<c>http://host/function/NAME/path</c>), which servers must accept (RFC 9112, 3.2.2); Kestrel has checked it already.
    /// </summary>
    private static string OriginForm(string target)
    {
        var authority = target.StartsWith('/') ? -1 : target.IndexOf("://", StringComparison.Ordinal);
        if (authority < 0)
        {
            return target;
        }

        var path = target.AsSpan(authority + 3).IndexOfAny('/', '?');
        return path < 0 ? "/" : target[(authority + 3 + path)..];
    }
}
