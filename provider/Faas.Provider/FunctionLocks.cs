using System.Collections.Concurrent;

namespace Faas.Provider;

/// <summary>
/// Runs each change to a function under that function's own lock (held by name, so a delete and a re-deploy of the
/// same name never interleave); changes to different functions run in parallel.
/// </summary>
public sealed class FunctionLocks
{
    private readonly ConcurrentDictionary<FunctionKey, SemaphoreSlim> _locks = new();

    public async Task RunAsync(FunctionKey key, Func<Task> change, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await change();
        }
        finally
        {
            gate.Release();
        }
    }
}
