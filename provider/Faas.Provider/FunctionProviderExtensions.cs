using Faas.Provider.Wire;

namespace Faas.Provider;

public static class FunctionProviderExtensions
{
    /// <summary>Every function in every namespace, each with its namespace filled in (for the gateway's background loops).</summary>
    public static async Task<IReadOnlyList<FunctionStatus>> ListAllAsync(this IFunctionProvider provider, CancellationToken cancellationToken)
    {
        var all = new List<FunctionStatus>();
        foreach (var ns in await provider.ListNamespacesAsync(cancellationToken))
        {
            foreach (var function in await provider.ListAsync(ns, cancellationToken))
            {
                all.Add(function.Namespace is { Length: > 0 } ? function : function with { Namespace = ns });
            }
        }

        return all;
    }

    public static FunctionKey Key(this FunctionStatus function) => new(function.Name, function.Namespace ?? "");
}
