using System.Runtime.InteropServices;

namespace Faas.Posix;

/// <summary>
/// Gives the processes this one starts SIGPIPE's default action. .NET ignores SIGPIPE, so that a write to a closed pipe
/// fails with EPIPE instead of ending the runtime, and an ignored signal stays ignored through fork and exec: every
/// process started here would begin with SIGPIPE ignored, unlike under a Go parent (of-watchdog) or a shell. There a
/// pipeline's writer fails loudly (<c>yes | head -n 1</c>: "yes: standard output: Broken pipe") instead of ending
/// quietly, and a writer that does not check its writes runs on until it is killed. A handled signal goes back to its
/// default action at exec, so this process handles SIGPIPE instead, and cancels it: its own writes still just fail.
/// </summary>
public static class BrokenPipeSignal
{
    private const int Number = 13;

    /// <summary>
    /// Call at start, before any pipe is written, and after giving any other signal its default action back
    /// (<see cref="Signals.RestoreDefaultAction"/>): .NET's first registration fixes how it takes SIGINT and SIGQUIT.
    /// Hold the registration until exit.
    /// </summary>
    public static PosixSignalRegistration HandleInsteadOfIgnoring()
    {
        // .NET leaves an ignored signal ignored when asked to handle it, so the default action goes back first.
        Signals.RestoreDefaultAction(Number);
        return PosixSignalRegistration.Create((PosixSignal)Number, context => context.Cancel = true);
    }
}
