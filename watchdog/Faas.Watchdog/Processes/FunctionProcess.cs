using System.Diagnostics;
using Faas.Posix;
using Faas.Proxy;

namespace Faas.Watchdog.Processes;

/// <summary>
/// One run of the function's command. In its own process group (through setsid(1), which keeps the PID)
/// when <c>ownGroup</c> is set, so a timeout kills everything the function started, not only its first process.
/// </summary>
internal sealed class FunctionProcess : IDisposable
{
    private readonly Process _process;
    private readonly bool _ownGroup;

    private FunctionProcess(Process process, bool ownGroup)
    {
        _process = process;
        _ownGroup = ownGroup;
    }

    public int Id => _process.Id;

    public Stream StandardInput => _process.StandardInput.BaseStream;

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    public Stream StandardError => _process.StandardError.BaseStream;

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public static FunctionProcess Start(IReadOnlyList<string> command, IEnumerable<KeyValuePair<string, string>> extraEnvironment, bool ownGroup, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        var useSetsid = ownGroup && ProcessGroup.UseNewGroup(info);

        foreach (var name in InlineSocketCompletions.SetByThisProcess)
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in extraEnvironment)
        {
            info.Environment[name] = value;
        }

        Process process;
        using (BatchScheduling.ForChildren())
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {command[0]}");
        }

        return new FunctionProcess(process, useSetsid);
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Kills the process and, when it has its own group, every process in that group.</summary>
    public void Kill()
    {
        if (_ownGroup)
        {
            Signals.SendToGroup(_process.Id, Signals.SigKill);
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>SIGTERM, then SIGKILL if the process has not exited within <paramref name="grace"/>.</summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        if (_ownGroup)
        {
            Signals.SendToGroup(_process.Id, Signals.SigTerm);
        }
        else
        {
            Signals.Send(_process.Id, Signals.SigTerm);
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose() => _process.DisposeWithPipes();
}
