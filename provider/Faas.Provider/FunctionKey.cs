namespace Faas.Provider;

/// <summary>The identity of a function: name and namespace.</summary>
public readonly record struct FunctionKey(string Name, string Namespace)
{
    public override string ToString() => $"{Name}.{Namespace}";
}
