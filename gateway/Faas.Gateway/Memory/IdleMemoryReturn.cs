using Faas.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Memory;

/// <summary>
/// Gives the heap a burst of invocations left behind back to the system once the gateway is quiet again. The .NET GC
/// keeps the regions a load touched committed until a later collection decides otherwise, and an idle gateway
/// allocates too little to collect at all: without this, a burst's peak stays resident for good. (Go's runtime
/// returns idle heap the same way, in the background.) One compacting, decommitting collection of a small heap costs a
/// pause of a few milliseconds, taken only when nothing is being served.
/// </summary>
internal sealed partial class IdleMemoryReturn(IOptions<GatewayOptions> options, TimeProvider time, ILogger<IdleMemoryReturn> logger) : BackgroundService
{
    /// <summary>Allocation within one check below which the gateway counts as quiet.</summary>
    internal const long QuietAllocation = 1 << 20;

    /// <summary>Allocation since the last return above which there is something to return.</summary>
    internal const long ActivityAllocation = 4 << 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.IdleMemoryCheck;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        var previous = GC.GetTotalAllocatedBytes();

        // Start-up counts as a burst: the configuration, container and route tables it built and dropped are returned
        // at the first quiet check as well.
        var atLastReturn = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var allocated = GC.GetTotalAllocatedBytes();
                if (allocated - previous < QuietAllocation && allocated - atLastReturn > ActivityAllocation)
                {
                    var before = Environment.WorkingSet;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    LogReturned(logger, before >> 20, Environment.WorkingSet >> 20);
                    atLastReturn = GC.GetTotalAllocatedBytes();
                }

                previous = GC.GetTotalAllocatedBytes();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Quiet again: heap compacted and returned, resident {Before} MB -> {After} MB")]
    private static partial void LogReturned(ILogger logger, long before, long after);
}
