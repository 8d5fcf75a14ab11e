using System.Collections.Concurrent;
using Faas.Provider.Host.State;
using Microsoft.Extensions.Logging;

namespace Faas.Provider.Local.Logs;

/// <summary>Every function's log, opened on first use under <c>logs/NAMESPACE/NAME.log</c>.</summary>
internal sealed class FunctionLogs(StateDirectory state, long maxBytes, ILogger log) : IDisposable
{
    private readonly ConcurrentDictionary<FunctionKey, FunctionLog> _logs = new();

    public FunctionLog Of(FunctionKey key) => _logs.GetOrAdd(key, k => new FunctionLog(state.Logs(k), maxBytes, log));

    /// <summary>Ends every follow of a deleted function's log and deletes its files.</summary>
    public void Delete(FunctionKey key)
    {
        if (_logs.TryRemove(key, out var open))
        {
            open.DeleteFiles();
        }
        else
        {
            new FunctionLog(state.Logs(key), maxBytes, log).DeleteFiles();
        }
    }

    public void Dispose()
    {
        foreach (var open in _logs.Values)
        {
            open.Dispose();
        }
    }
}
