using System.Collections.Concurrent;
using System.Diagnostics;

namespace Faas.Harness;

/// <summary>
/// A real process started by a test, its output captured line by line. Disposing it stops it by its PID
/// (SIGTERM, then SIGKILL after a grace period), so no test leaves a process behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => { if (line.Data is not null) { _output.Enqueue(line.Data); } };
        _process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { _output.Enqueue(line.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Where <c>inheritedFile</c> is open in a process started with one.</summary>
    public const int InheritedDescriptor = 7;

    /// <param name="interruptIgnored">
    /// Start it with SIGINT ignored, as a non-interactive shell starts a background job (<c>gateway &amp;</c> in a
    /// script); its PID is still the program's own.
    /// </param>
    /// <param name="inheritedFile">
    /// Start it with this file open for reading at <see cref="InheritedDescriptor"/>, not close-on-exec, as a parent's
    /// shell redirection leaves a descriptor.
    /// </param>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null,
        bool interruptIgnored = false, string? inheritedFile = null)
    {
        if (interruptIgnored || inheritedFile is not null)
        {
            // The shell execs the program, so the PID stays the program's own.
            var script = (interruptIgnored ? "trap '' INT; " : "")
                + (inheritedFile is not null ? $"exec {InheritedDescriptor}<\"$1\"; shift; " : "")
                + "exec \"$0\" \"$@\"";
            arguments = ["-c", script, fileName, .. inheritedFile is not null ? [inheritedFile] : Array.Empty<string>(), .. arguments];
            fileName = "/bin/sh";
        }

        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}"));
    }

    public async Task WriteLineToStdinAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public void CloseStdin() => _process.StandardInput.Close();

    public void Signal(int signal) => Faas.Posix.Signals.Send(Pid, signal);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until a line of output contains <paramref name="text"/>.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(15);
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(5)))
            {
                Signal(9);
                await WaitForExitAsync(TimeSpan.FromSeconds(5));
            }
        }

        _process.Dispose();
    }
}
