namespace Faas.Watchdog.Server;

/// <summary>
/// When and how the watchdog stops: SIGTERM asks for a graceful drain announced to routers first, SIGINT for the
/// drain alone, as its sender routes nothing here any more (exit 0 both); a dead http-mode child asks for an immediate
/// stop with a failure code, so the replica's supervisor restarts it.
/// </summary>
internal sealed class Lifetime
{
    private readonly TaskCompletionSource<StopRequest> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<StopRequest> Stopping => _stop.Task;

    /// <param name="waitForRouters">Report unhealthy and keep serving for <c>healthcheck_interval</c> before the drain.</param>
    public void RequestGracefulStop(bool waitForRouters) => _stop.TrySetResult(new StopRequest(ExitCode: 0, Drain: true, waitForRouters));

    public void RequestFailureStop(int exitCode) => _stop.TrySetResult(new StopRequest(exitCode, Drain: false, WaitForRouters: false));
}

internal readonly record struct StopRequest(int ExitCode, bool Drain, bool WaitForRouters);
