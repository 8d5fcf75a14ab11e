using System.Collections;
using Faas.Posix;
using Faas.Proxy;

namespace Faas.Watchdog.Processes;

/// <summary>
/// One run of the function's command, with the watchdog's environment (less what the watchdog set for itself) and the
/// invocation's variables. In a session and process group of its own when <c>ownGroup</c> is set, so a timeout kills
/// everything the function started, not only its first process.
/// </summary>
internal sealed class FunctionProcess : IDisposable
{
    private readonly SpawnedProcess _process;
    private readonly bool _ownGroup;

    private FunctionProcess(SpawnedProcess process, bool ownGroup)
    {
        _process = process;
        _ownGroup = ownGroup;
    }

    public int Id => _process.Id;

    public Stream StandardInput => _process.StandardInput;

    public Stream StandardOutput => _process.StandardOutput;

    public Stream StandardError => _process.StandardError;

    /// <summary>Completes with the exit code (128 + the signal for one killed by a signal) once the process has exited.</summary>
    public Task<int> Exited => _process.Exited;

    public bool HasExited => _process.Exited.IsCompleted;

    /// <summary>
    /// What a function inherits from the watchdog: its environment, less what it set for itself. Read once by each mode
    /// (after a standby's assignment), not per invocation.
    /// </summary>
    public static IReadOnlyDictionary<string, string> InheritedEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            environment[(string)variable.Key] = (string?)variable.Value ?? string.Empty;
        }

        foreach (var name in InlineSocketCompletions.SetByThisProcess)
        {
            environment.Remove(name);
        }

        return environment;
    }

    /// <param name="command">The program, by absolute path (the configuration resolved it), then its arguments.</param>
    /// <param name="inheritedEnvironment">From <see cref="InheritedEnvironment"/>.</param>
    /// <param name="extraEnvironment">This run's own variables, over the inherited ones.</param>
    public static FunctionProcess Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> inheritedEnvironment,
        IEnumerable<KeyValuePair<string, string>> extraEnvironment, bool ownGroup)
    {
        var environment = new Dictionary<string, string>(inheritedEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in extraEnvironment)
        {
            environment[name] = value;
        }

        var entries = environment.Select(variable => $"{variable.Key}={variable.Value}").ToList();
        using (BatchScheduling.ForChildren())
        {
            return new FunctionProcess(SpawnedProcess.Start(command[0], command, entries, newSession: ownGroup), ownGroup);
        }
    }

    /// <summary>Kills the process and, when it has its own group, every process in that group.</summary>
    public void Kill()
    {
        if (_ownGroup)
        {
            Signals.SendToGroup(Id, Signals.SigKill);
        }
        else if (!HasExited)
        {
            Signals.Send(Id, Signals.SigKill);
        }
    }

    /// <summary>
    /// SIGTERM to the process, then SIGKILL if it has not exited within <paramref name="grace"/>; with a group of its own,
    /// SIGKILL to the group once it has exited, for what it left behind.
    /// </summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        if (_ownGroup)
        {
            await ProcessGroup.TerminateAsync(Id, Exited, grace, terminate: Id).ConfigureAwait(false);
            return;
        }

        if (HasExited)
        {
            return;
        }

        Signals.Send(Id, Signals.SigTerm);
        if (await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(false) != Exited)
        {
            Kill();
            await Exited.ConfigureAwait(false);
        }
    }

    public void Dispose() => _process.Dispose();
}
