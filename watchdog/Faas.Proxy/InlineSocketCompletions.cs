namespace Faas.Proxy;

/// <summary>
/// Socket completions run inline on the epoll thread instead of each waking a thread-pool worker. A process that
/// mostly moves bytes between sockets saves a thread hop (a futex wake and a context switch) per read: on the 2-core
/// machines this targets the watchdog's CPU per request halves and the gateway serves about a quarter more
/// invocations (bench/results/gateway.md). .NET reads the switch from the environment once, when its socket engine
/// starts, so it is set before the first socket exists. Code that runs inline must not block: a blocked epoll
/// thread stalls every connection it serves.
/// </summary>
public static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>True once this process set the variable itself: its child processes must not inherit it, their code may block.</summary>
    public static bool SetByThisProcess { get; private set; }

    /// <summary>True when this process's sockets complete inline (the value .NET acts on).</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>Turns them on unless the environment already decides (an operator's own 0 or 1 wins).</summary>
    public static void Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
            SetByThisProcess = true;
        }
    }
}
