using System.Runtime.InteropServices;

namespace Faas.Watchdog.Server;

/// <summary>
/// When and how the watchdog stops: SIGTERM asks for a graceful drain announced to routers first, SIGINT for the
/// drain alone, as its sender routes nothing here any more (exit 0 both); a dead http-mode child asks for an immediate
/// stop with a failure code, so the replica's supervisor restarts it. The signals are taken once, at the start of Main,
/// and held until exit: a standby hands over to the server with no moment where a signal has no handler (in the local
/// backend's sandbox the watchdog is PID 1 of its namespace, where the kernel drops such a signal).
/// </summary>
internal sealed class Lifetime : IDisposable
{
    private readonly TaskCompletionSource<StopRequest> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration _interrupt;

    public Lifetime()
    {
        // A shell's background job starts with SIGINT ignored, its children too, and .NET leaves an inherited ignored
        // SIGINT alone: the replicas of a gateway started that way would lose its "drain now" and wait out the stop
        // grace. Before the first registration, which is when .NET looks at how SIGINT was left.
        Faas.Posix.Signals.RestoreDefaultAction(Faas.Posix.Signals.SigInt);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);
    }

    public Task<StopRequest> Stopping => _stop.Task;

    /// <param name="waitForRouters">Report unhealthy and keep serving for <c>healthcheck_interval</c> before the drain.</param>
    public void RequestGracefulStop(bool waitForRouters) => _stop.TrySetResult(new StopRequest(ExitCode: 0, Drain: true, waitForRouters));

    public void RequestFailureStop(int exitCode) => _stop.TrySetResult(new StopRequest(exitCode, Drain: false, WaitForRouters: false));

    public void Dispose()
    {
        _terminate.Dispose();
        _interrupt.Dispose();
    }

    private void OnStopSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        RequestGracefulStop(waitForRouters: context.Signal == PosixSignal.SIGTERM);
    }
}

internal readonly record struct StopRequest(int ExitCode, bool Drain, bool WaitForRouters);
