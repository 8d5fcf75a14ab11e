using System.Diagnostics;

namespace Faas.Provider.Host.Supervision;

/// <summary>
/// Finds when a replica is ready: at its own report, where it makes one (<see cref="IRunningReplica.ReadyReported"/>),
/// else by checking its <c>/_/health</c> on the host's loopback every few milliseconds until it answers 200. The
/// watchdog reports only when its health would answer 200, so a report is not checked again: on the cold-start path,
/// that check was the replica's first HTTP request, 3–4 ms (README, the `cold-start-local` row).
/// </summary>
internal static class HealthProbe
{
    /// <summary>
    /// How long a replica that can report is left to do so before it is polled anyway (a watchdog too old to report):
    /// refused checks while it starts only take the CPU it starts on.
    /// </summary>
    private static readonly TimeSpan ReportWait = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(10);

    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>True once healthy; false if <paramref name="exited"/> completes or <paramref name="timeout"/> passes first.</summary>
    /// <param name="readyReported">The replica's own report (true) or the end of its chance to make one (false), or null.</param>
    public static async Task<bool> WaitUntilReadyAsync(int port, Task exited, Task<bool>? readyReported, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (readyReported is not null)
        {
            await Task.WhenAny(readyReported, exited, Task.Delay(ReportWait, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (readyReported.IsCompletedSuccessfully && await readyReported && !exited.IsCompleted)
            {
                return true;
            }
        }

        var delay = TimeSpan.FromMilliseconds(1);
        while (clock.Elapsed < timeout && !exited.IsCompleted)
        {
            try
            {
                using var response = await Client.GetAsync($"http://127.0.0.1:{port}/_/health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.WhenAny(Task.Delay(delay, cancellationToken), exited);
            cancellationToken.ThrowIfCancellationRequested();
            delay = delay * 2 < LongestDelay ? delay * 2 : LongestDelay;
        }

        return false;
    }
}
