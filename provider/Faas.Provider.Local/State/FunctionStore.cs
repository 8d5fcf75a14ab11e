using System.Text.Json;

namespace Faas.Provider.Local.State;

/// <summary>Function definitions and desired replica counts, one JSON file per function.</summary>
public sealed class FunctionStore(StateDirectory state)
{
    private const string FileName = "function.json";

    public void Save(StoredFunction function) =>
        StateDirectory.WriteAtomically(Path.Combine(state.FunctionDirectory(function.Key), FileName),
            JsonSerializer.SerializeToUtf8Bytes(function, LocalJson.Default.StoredFunction));

    public void Delete(FunctionKey key)
    {
        var directory = state.FunctionDirectory(key);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public IEnumerable<StoredFunction> LoadAll()
    {
        if (!Directory.Exists(state.Functions))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(state.Functions, FileName, SearchOption.AllDirectories))
        {
            var function = JsonSerializer.Deserialize(File.ReadAllBytes(file), LocalJson.Default.StoredFunction);
            if (function is not null)
            {
                yield return function;
            }
        }
    }
}
