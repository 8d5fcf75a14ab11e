using System.Diagnostics;

namespace Faas.Provider.Host.Supervision;

/// <summary>Polls a replica's <c>/_/health</c> on the host's loopback until it answers 200 (every few milliseconds: this is on the cold-start path).</summary>
internal static class HealthProbe
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>True once healthy; false if <paramref name="exited"/> completes or <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> WaitUntilReadyAsync(int port, Task exited, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
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
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10));
        }

        return false;
    }
}
