using Faas.Proxy;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Modes;

/// <summary>One way of running the function behind the watchdog (see <see cref="Config.WatchdogMode"/>).</summary>
internal interface IFunctionMode
{
    /// <summary>Prepares the mode; returns once the function is ready to be invoked.</summary>
    Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serves one invocation. <paramref name="deadline"/> is the invocation's exec timeout.</summary>
    Task InvokeAsync(HttpContext context, RequestDeadline deadline);

    /// <summary>Stops whatever the mode started, after in-flight invocations have drained.</summary>
    Task StopAsync() => Task.CompletedTask;
}
