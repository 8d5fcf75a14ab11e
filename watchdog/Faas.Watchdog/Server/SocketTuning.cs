using Faas.Watchdog.Config;

namespace Faas.Watchdog.Server;

/// <summary>
/// In http mode every handler only moves bytes between sockets and never blocks, so socket completions can run
/// inline on the epoll thread instead of waking a thread-pool worker each time: on the 2-core machines this
/// targets that halves the watchdog's CPU per request (bench/results/watchdog-http.md). .NET reads the switch
/// from the environment once, when the socket engine starts, so it is set before any socket exists. The
/// function never inherits it: its own code may block.
/// </summary>
public static class SocketTuning
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Set by the watchdog for itself (not by the user), and so removed from the function's environment.</summary>
    public static bool InlineCompletionsAddedByWatchdog { get; private set; }

    public static void Apply(WatchdogConfig config, IReadOnlyDictionary<string, string> environment)
    {
        if (config.Mode == WatchdogMode.Http && !environment.ContainsKey(InlineCompletionsVariable))
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
            InlineCompletionsAddedByWatchdog = true;
        }
    }
}
