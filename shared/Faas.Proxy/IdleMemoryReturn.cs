using Microsoft.Extensions.Hosting;

namespace Faas.Proxy;

/// <summary>
/// Gives the heap a burst of requests left behind back to the system once the process is quiet again. The .NET GC
/// keeps the regions a load touched committed until a later collection decides otherwise, and a quiet proxy allocates
/// too little to collect at all: without this, a burst's peak stays resident for good. (Go's runtime returns idle
/// heap the same way, in the background.) The cost is one blocking, compacting, decommitting collection, taken only
/// when nothing is being served: no request started since the last look, none in flight, and little allocated (light
/// traffic allocates little too, and its requests would wait out the pause). Used by the gateway and the watchdog; a
/// host-less process calls <see cref="BackgroundService.StartAsync"/> itself.
/// </summary>
/// <param name="interval">How often to look; zero or less: never.</param>
/// <param name="requests">The process's requests started so far and those in flight (invocations, not health checks).</param>
/// <param name="returned">Told the resident set size before and after each return, in bytes.</param>
public sealed class IdleMemoryReturn(TimeSpan interval, TimeProvider time, Func<(long Started, long InFlight)> requests, Action<long, long>? returned = null)
    : BackgroundService
{
    /// <summary>The allocation rate below which the process counts as quiet: 1 MB in the default 5 s check.</summary>
    private const long QuietAllocationPerSecond = 200 << 10;

    /// <summary>Allocation since the last return above which there is something to return.</summary>
    private const long ActivityAllocation = 4 << 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var quietAllocation = (long)(QuietAllocationPerSecond * interval.TotalSeconds);
        using var timer = new PeriodicTimer(interval, time);
        var previous = GC.GetTotalAllocatedBytes();
        var startedBefore = requests().Started;

        // Start-up counts as a burst: what it built and dropped is returned at the first quiet check as well.
        var atLastReturn = 0L;

        // Stopping disposes the timer, which ends the wait with false: a cancelled wait would throw, and a native
        // build's first exception resolves its stack trace's method names (milliseconds of every replica's stop).
        await using var stopping = stoppingToken.Register(timer.Dispose);
        while (await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var (started, inFlight) = requests();
            var served = started != startedBefore || inFlight > 0;
            startedBefore = started;
            if (!served && allocated - previous < quietAllocation && allocated - atLastReturn > ActivityAllocation)
            {
                var before = Environment.WorkingSet;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                returned?.Invoke(before, Environment.WorkingSet);
                atLastReturn = GC.GetTotalAllocatedBytes();
            }

            previous = GC.GetTotalAllocatedBytes();
        }
    }
}
