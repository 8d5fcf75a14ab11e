using System.Text.Json;
using Faas.Provider.Host.State;
using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Provider.Host.Namespaces;

/// <summary>
/// The namespaces made through the API, one JSON file each under <c>namespaces/</c>, with their labels and
/// annotations. A namespace exists while it has a file here, or holds functions, or is the default.
/// </summary>
internal sealed class NamespaceStore(StateDirectory state)
{
    private readonly Lock _lock = new();

    private string Directory => Path.Combine(state.Root, "namespaces");

    /// <summary>The names of the namespaces made through the API.</summary>
    public IReadOnlyList<string> Names()
    {
        lock (_lock)
        {
            return System.IO.Directory.Exists(Directory)
                ? [.. System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>()]
                : [];
        }
    }

    /// <summary>The namespace as made, or null if it was not made through the API.</summary>
    public FunctionNamespace? Find(string name)
    {
        lock (_lock)
        {
            var path = PathOf(name);
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), ProviderJson.Default.FunctionNamespace) : null;
        }
    }

    /// <summary>Records a namespace; false if it is already recorded.</summary>
    public bool TryCreate(FunctionNamespace @namespace)
    {
        lock (_lock)
        {
            if (File.Exists(PathOf(@namespace.Name)))
            {
                return false;
            }

            Write(@namespace);
            return true;
        }
    }

    /// <summary>Replaces a recorded namespace's labels and annotations; false if it is not recorded.</summary>
    public bool TryUpdate(FunctionNamespace @namespace)
    {
        lock (_lock)
        {
            if (!File.Exists(PathOf(@namespace.Name)))
            {
                return false;
            }

            Write(@namespace);
            return true;
        }
    }

    public bool TryDelete(string name)
    {
        lock (_lock)
        {
            var path = PathOf(name);
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
    }

    private void Write(FunctionNamespace @namespace) =>
        StateDirectory.WriteAtomically(PathOf(@namespace.Name), JsonSerializer.SerializeToUtf8Bytes(@namespace, ProviderJson.Default.FunctionNamespace));

    /// <summary>A namespace's file; names are checked labels, so they are plain file names.</summary>
    private string PathOf(string name) =>
        Path.Combine(Directory, (NameRules.CheckLabel("namespace", name) is { } problem ? throw ProviderException.Invalid(problem) : name) + ".json");
}
