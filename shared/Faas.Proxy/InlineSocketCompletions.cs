namespace Faas.Proxy;

/// <summary>
/// Socket completions run inline on the epoll threads instead of each waking a thread-pool worker. A process that
/// mostly moves bytes between sockets saves a thread hop (a futex wake and a context switch) per read: on the 2-core
/// machines this targets the watchdog's CPU per request halves, and with one epoll thread the gateway's full path
/// went from 0.15x to 0.23x direct (bench/results/gateway.md). .NET reads both switches from the environment once,
/// when its socket engine starts, so they are set before the first socket exists; an operator's own values win.
/// Code that runs inline must not block: a blocked epoll thread stalls every connection it serves.
/// </summary>
public static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The number of epoll threads (with inline completions .NET's default is one per core).</summary>
    public const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    private static readonly List<string> Set = [];

    /// <summary>The variables this process set for itself: its child processes must not inherit them, their code may block.</summary>
    public static IReadOnlyList<string> SetByThisProcess => Set;

    /// <summary>True when this process's sockets complete inline (the value .NET acts on).</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <param name="threads">Epoll threads to use; null keeps .NET's default of one per core.</param>
    public static void Enable(int? threads = null)
    {
        SetUnlessGiven(Variable, "1");
        if (threads is { } count)
        {
            SetUnlessGiven(ThreadCountVariable, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static void SetUnlessGiven(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is null)
        {
            Environment.SetEnvironmentVariable(name, value);
            Set.Add(name);
        }
    }
}
