namespace Faas.Harness;

/// <summary>
/// The steps the gateway's and the watchdog's idle-memory tests share: a burst of POSTs that leaves heap behind, then a
/// wait for the process to log one more return of it.
/// </summary>
public static class HeapReturnProbe
{
    /// <summary>
    /// A burst that allocates well past the 4 MB that counts as activity (see IdleMemoryReturn) and leaves enough heap
    /// for its return to show in the resident size: the fast paths allocate well under 1 KB per request, so 4,000
    /// requests no longer did.
    /// </summary>
    public const int Burst = 16_000;

    public static Task PostBurstAsync(string url, int requests) =>
        Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, cancel) =>
        {
            using var answer = await TestHttp.Client.PostAsync(url, new StringContent(new string('x', 8192)), cancel);
            answer.EnsureSuccessStatusCode();
        });

    /// <summary>
    /// Light traffic after a burst: one small POST every 200 ms for <paramref name="duration"/>, far under the allocation
    /// that counts as busy. Returns how many times <paramref name="marker"/> was logged meanwhile.
    /// </summary>
    public static async Task<int> ReturnsDuringTrickleAsync(string url, TimeSpan duration, Func<string> output, string marker)
    {
        var before = Count(output(), marker);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            using var answer = await TestHttp.Client.PostAsync(url, new StringContent("x"));
            answer.EnsureSuccessStatusCode();
            await Task.Delay(200);
        }

        return Count(output(), marker) - before;
    }

    /// <summary>How many times <paramref name="marker"/> (the process's log line for a return) is in <paramref name="output"/>.</summary>
    public static int Count(string output, string marker) => output.Split(marker).Length - 1;

    /// <summary>Waits up to 20 s for more than <paramref name="seen"/> returns; the count at the end.</summary>
    public static async Task<int> WaitForMoreAsync(Func<string> output, string marker, int seen)
    {
        await ProcessTable.EventuallyAsync(() => Count(output(), marker) > seen, TimeSpan.FromSeconds(20));
        return Count(output(), marker);
    }
}
