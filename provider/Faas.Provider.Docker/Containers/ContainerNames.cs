namespace Faas.Provider.Docker.Containers;

/// <summary>
/// Replica containers are named <c>faas.NAMESPACE.INSTANCE</c>, the instance being <c>NAME-xxxxxxxx</c> as in the
/// local backend. Dots cannot occur in function or namespace names, so the parts are unambiguous.
/// </summary>
public static class ContainerNames
{
    private const string Prefix = "faas.";

    public static string NewReplica(FunctionKey key) => $"{Prefix}{key.Namespace}.{key.Name}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The instance part of a container name (as the engine lists it, with or without a leading slash).</summary>
    public static string InstanceOf(string containerName)
    {
        var name = containerName.TrimStart('/');
        var second = name.StartsWith(Prefix, StringComparison.Ordinal) ? name.IndexOf('.', Prefix.Length) : -1;
        return second > 0 ? name[(second + 1)..] : name;
    }
}
