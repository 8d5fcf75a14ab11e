using System.Diagnostics;
using System.IO.Pipelines;
using Faas.Proxy.FastPath;

namespace Faas.Proxy.Tests.FastPath;

public class KeepAliveMonitorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(130);

    [Fact]
    public async Task A_connection_idle_past_the_timeout_has_its_pending_read_cancelled()
    {
        using var monitor = new KeepAliveMonitor(Timeout);
        var pipe = new Pipe();
        using var entry = monitor.Track(pipe.Reader);
        entry.Idle();
        var read = pipe.Reader.ReadAsync();

        monitor.Sweep(Stopwatch.GetTimestamp() + Ticks(Timeout + TimeSpan.FromSeconds(1)));

        Assert.True((await read).IsCanceled);
        Assert.True(entry.TimedOut);
    }

    [Fact]
    public async Task Only_a_connection_idle_for_longer_than_the_timeout_is_closed()
    {
        using var monitor = new KeepAliveMonitor(Timeout);
        var busy = new Pipe();
        var idle = new Pipe();
        using var busyEntry = monitor.Track(busy.Reader);
        using var idleEntry = monitor.Track(idle.Reader);
        busyEntry.Idle();
        busyEntry.Busy();
        idleEntry.Idle();
        var busyRead = busy.Reader.ReadAsync();
        var idleRead = idle.Reader.ReadAsync();

        monitor.Sweep(Stopwatch.GetTimestamp() + Ticks(Timeout - TimeSpan.FromSeconds(10)));
        Assert.False(idleRead.IsCompleted);

        monitor.Sweep(Stopwatch.GetTimestamp() + Ticks(Timeout * 2));
        Assert.True((await idleRead).IsCanceled);
        Assert.False(busyRead.IsCompleted);
        Assert.False(busyEntry.TimedOut);
        await busy.Writer.WriteAsync("x"u8.ToArray());
        Assert.False((await busyRead).IsCanceled);
    }

    [Fact]
    public async Task A_connection_no_longer_tracked_is_never_cancelled()
    {
        using var monitor = new KeepAliveMonitor(Timeout);
        var pipe = new Pipe();
        var entry = monitor.Track(pipe.Reader);
        entry.Idle();
        entry.Dispose();
        var read = pipe.Reader.ReadAsync();

        monitor.Sweep(Stopwatch.GetTimestamp() + Ticks(Timeout * 2));

        Assert.False(read.IsCompleted);
        await pipe.Writer.WriteAsync("x"u8.ToArray());
        Assert.False((await read).IsCanceled);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
