using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Faas.Posix;

/// <summary>
/// A child started by posix_spawn(3), if asked as the leader of a session (and process group) of its own, its standard
/// streams on pipes, reaped by <see cref="ChildReaper"/>. .NET's Process cannot start a child in a new session: it went
/// through setsid(1), one exec more per start, about 2 of the 5 ms a per-request function's start cost here
/// (bench/results/watchdog-streaming.md). Signal it, or its group, through <see cref="Signals"/> with <see cref="Id"/>.
/// </summary>
public sealed class SpawnedProcess : IDisposable
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AnonymousPipeClientStream _input;
    private readonly AnonymousPipeClientStream _output;
    private readonly AnonymousPipeClientStream _error;

    private SpawnedProcess(SafePipeHandle input, SafePipeHandle output, SafePipeHandle error)
    {
        _input = new AnonymousPipeClientStream(PipeDirection.Out, input);
        _output = new AnonymousPipeClientStream(PipeDirection.In, output);
        _error = new AnonymousPipeClientStream(PipeDirection.In, error);
    }

    /// <summary>The child's PID; in a new session also its process group's and session's ID.</summary>
    public int Id { get; private set; }

    public Stream StandardInput => _input;

    public Stream StandardOutput => _output;

    public Stream StandardError => _error;

    /// <summary>Completes with the exit code once the child has exited and been reaped: its status, or 128 + the signal that ended it.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Starts <paramref name="path"/> (an absolute path: PATH is not searched).</summary>
    /// <param name="arguments">The whole argv, the program's name first.</param>
    /// <param name="environment">The whole environment, as <c>NAME=value</c> entries.</param>
    /// <param name="newSession">Whether the child leads a session and process group of its own (else it stays in ours).</param>
    /// <param name="workingDirectory">Where the child starts; null or empty for ours.</param>
    /// <param name="descriptors">Open descriptors of ours the child gets as its 3, 4 and so on (each close-on-exec here, numbered above those).</param>
    /// <exception cref="Win32Exception">The program could not be started (the path and errno's text in the message).</exception>
    /// <exception cref="InvalidOperationException">
    /// A descriptor to pass is numbered among the child's first ones, where it would be overwritten before it is copied
    /// (this process was started with a standard stream closed).
    /// </exception>
    public static SpawnedProcess Start(string path, IReadOnlyList<string> arguments, IReadOnlyList<string> environment, bool newSession, string? workingDirectory = null,
        IReadOnlyList<SafeHandle>? descriptors = null)
    {
        var pipes = StandardPipes.Create();
        SpawnedProcess? process = null;
        try
        {
            process = new SpawnedProcess(pipes.Input, pipes.Output, pipes.Error);
            process.Id = PosixSpawn.Start(path, arguments, environment, newSession, workingDirectory, [pipes.ChildInput, pipes.ChildOutput, pipes.ChildError, .. descriptors ?? []]);
        }
        catch
        {
            process?.Dispose();
            pipes.CloseAll();
            throw;
        }
        finally
        {
            pipes.CloseChildEnds();
        }

        process.StartReaper();
        return process;
    }

    /// <summary>
    /// Starts the command <paramref name="info"/> describes: its <see cref="ProcessStartInfo.FileName"/> (an absolute
    /// path), <see cref="ProcessStartInfo.ArgumentList"/>, <see cref="ProcessStartInfo.Environment"/> and
    /// <see cref="ProcessStartInfo.WorkingDirectory"/>. Its other settings do not apply: the standard streams are always pipes.
    /// </summary>
    public static SpawnedProcess Start(ProcessStartInfo info, bool newSession, IReadOnlyList<SafeHandle>? descriptors = null)
    {
        if (!Path.IsPathRooted(info.FileName) || !string.IsNullOrEmpty(info.Arguments))
        {
            throw new ArgumentException("give the program by absolute path and its arguments in ArgumentList", nameof(info));
        }

        return Start(info.FileName, [info.FileName, .. info.ArgumentList], [.. info.Environment.Select(variable => $"{variable.Key}={variable.Value}")], newSession, info.WorkingDirectory, descriptors);
    }

    /// <summary>Closes this side of the child's standard streams; the child itself is left alone (and still reaped).</summary>
    public void Dispose()
    {
        try
        {
            _input.Dispose();
        }
        catch (IOException)
        {
            // Unwritten input of a child that is gone: the descriptor is closed either way.
        }

        _output.Dispose();
        _error.Dispose();
    }

    private void StartReaper() => ChildReaper.Watch(Id, _exited);

    /// <summary>Three pipes, close-on-exec on both ends: the child's ends become its 0, 1 and 2 (dup2 clears the flag), ours reach no other child.</summary>
    private sealed class StandardPipes
    {
        private readonly List<(SafePipeHandle Read, SafePipeHandle Write)> _pipes = new(3);

        public SafePipeHandle ChildInput => _pipes[0].Read;

        public SafePipeHandle ChildOutput => _pipes[1].Write;

        public SafePipeHandle ChildError => _pipes[2].Write;

        public SafePipeHandle Input => _pipes[0].Write;

        public SafePipeHandle Output => _pipes[1].Read;

        public SafePipeHandle Error => _pipes[2].Read;

        public static StandardPipes Create()
        {
            var pipes = new StandardPipes();
            try
            {
                for (var stream = 0; stream < 3; stream++)
                {
                    pipes._pipes.Add(PosixSpawn.CreatePipe());
                }
            }
            catch
            {
                pipes.CloseAll();
                throw;
            }

            return pipes;
        }

        public void CloseChildEnds()
        {
            ChildInput.Dispose();
            ChildOutput.Dispose();
            ChildError.Dispose();
        }

        public void CloseAll()
        {
            foreach (var (read, write) in _pipes)
            {
                read.Dispose();
                write.Dispose();
            }
        }
    }
}
