using Faas.Watchdog.Config;
using Faas.Watchdog.Metrics;

namespace Faas.Watchdog.Server;

/// <summary>
/// A watchdog started ahead of demand (<c>FAAS_STANDBY=1</c>): the runtime is up and the configuration-independent
/// start-up work is done, and it waits for its function's environment on stdin (<see cref="Assignment"/>). The
/// local backend keeps a few of these so scaling from zero does not pay for a process start
/// (bench/results/cold-start-local.md). Sockets are not touched before the assignment, so the socket tuning
/// chosen by the function's mode still applies.
/// </summary>
internal static class Standby
{
    public const string Variable = "FAAS_STANDBY";

    /// <summary>
    /// Waits for the assignment and merges it into <paramref name="environment"/> and the process environment; false if
    /// stdin closed or a stop signal came first.
    /// </summary>
    public static async Task<bool> WaitForAssignmentAsync(Dictionary<string, string> environment, Lifetime lifetime)
    {
        await WarmUpAsync();
        // A blocking read on a thread of its own, so a signal can end the wait.
        var read = Task.Run(Assignment.ReadFirstLine);
        if (await Task.WhenAny(read, lifetime.Stopping) != read)
        {
            return false;
        }

        return Assignment.Apply(await read, environment);
    }

    /// <summary>Runs the start-up code paths that do not depend on the function once, so their first use is already paid for.</summary>
    private static async Task WarmUpAsync()
    {
        if (new[] { "/usr/bin/true", "/bin/true" }.FirstOrDefault(File.Exists) is { } program)
        {
            using var process = Processes.FunctionProcess.Start([program], Processes.FunctionProcess.InheritedEnvironment(), [], ownGroup: true);
            await process.Exited;
        }

        var template = WatchdogConfigParser.Parse(new Dictionary<string, string> { ["mode"] = "static", ["static_path"] = "/", ["port"] = "1", ["metrics_port"] = "2" });
        _ = new WatchdogMetrics().Registry.Render();
        using var server = WatchdogHost.CreateServer(template);
        _ = Assignment.Parse("{}"u8);
    }
}
