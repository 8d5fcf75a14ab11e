namespace Faas.Watchdog.Server;

/// <summary>
/// <c>FAAS_LIFELINE=1</c> (the local backend sets it): stdin is a pipe whose writing end only the process that started
/// this watchdog holds. When that process is gone, even by SIGKILL, the kernel closes the pipe and the watchdog stops
/// as on SIGINT: a drain without waiting for routers (none is left), then its function. So a gateway that dies leaves
/// no replicas behind. A blocking read on a thread of its own: the pipe never carries anything, and the thread pool
/// (socket threads only, in http mode) is not held.
/// </summary>
internal static class Lifeline
{
    public const string Variable = "FAAS_LIFELINE";

    public static void Watch(Lifetime lifetime) =>
        new Thread(() => WaitForEnd(lifetime)) { IsBackground = true, Name = "lifeline" }.Start();

    private static void WaitForEnd(Lifetime lifetime)
    {
        try
        {
            using var stdin = Console.OpenStandardInput();
            Span<byte> discard = stackalloc byte[64];
            while (stdin.Read(discard) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A read error means the pipe is unusable: as good as closed.
        }

        lifetime.RequestGracefulStop(waitForRouters: false);
    }
}
