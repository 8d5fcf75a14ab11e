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
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var rest = raw.StartsWith(prefix, StringComparison.Ordinal) ? raw[prefix.Length..] : context.Request.QueryString.ToString();
        return rest.StartsWith('/') ? rest : "/" + rest;
    }
}
