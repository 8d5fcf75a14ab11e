namespace Faas.Watchdog.Server;

/// <summary>
/// When and how the watchdog stops: SIGTERM/SIGINT ask for a graceful drain (exit 0); a dead http-mode
/// child asks for an immediate stop with a failure code, so the replica's supervisor restarts it.
/// </summary>
internal sealed class Lifetime
{
    private readonly TaskCompletionSource<StopRequest> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<StopRequest> Stopping => _stop.Task;

    public void RequestGracefulStop() => _stop.TrySetResult(new StopRequest(ExitCode: 0, Drain: true));

    public void RequestFailureStop(int exitCode) => _stop.TrySetResult(new StopRequest(exitCode, Drain: false));
}

internal readonly record struct StopRequest(int ExitCode, bool Drain);
