using Faas.Proxy.FastPath;

namespace Faas.Proxy.Tests.FastPath;

public class ConnectionDeadlineTests
{
    [Fact]
    public async Task A_request_past_its_limit_is_cancelled_as_expired_and_the_next_request_starts_afresh()
    {
        using var connection = new CancellationTokenSource();
        using var deadline = new ConnectionDeadline(connection.Token);

        deadline.Arm(TimeSpan.FromMilliseconds(50));
        await Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.True(deadline.Expired);
        Assert.Equal(TimeSpan.FromMilliseconds(50), deadline.Limit);

        deadline.Disarm();
        deadline.Arm(TimeSpan.Zero);
        await Task.Delay(100);
        Assert.False(deadline.Token.IsCancellationRequested);
        Assert.Equal(TimeSpan.Zero, deadline.Limit);
    }

    [Fact]
    public void A_request_within_its_limit_is_not_cancelled_once_disarmed()
    {
        using var connection = new CancellationTokenSource();
        using var deadline = new ConnectionDeadline(connection.Token);
        deadline.Arm(TimeSpan.FromMilliseconds(100));
        var first = deadline.Token;

        deadline.Disarm();
        Thread.Sleep(200);

        Assert.False(first.IsCancellationRequested);
        Assert.False(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public void The_client_going_away_cancels_the_current_and_every_later_request_without_calling_it_expired()
    {
        using var connection = new CancellationTokenSource();
        using var deadline = new ConnectionDeadline(connection.Token);
        deadline.Arm(TimeSpan.FromSeconds(30));

        connection.Cancel();

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
        deadline.Disarm();
        Assert.True(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_request_is_cancelled_at_its_limit_and_not_before()
    {
        using var connection = new CancellationTokenSource();
        using var deadline = new ConnectionDeadline(connection.Token);
        var started = System.Diagnostics.Stopwatch.StartNew();

        deadline.Arm(TimeSpan.FromMilliseconds(300));
        await Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(300), $"cancelled after {started.Elapsed.TotalMilliseconds} ms");
        Assert.True(deadline.Expired);
        deadline.Disarm();
    }

    [Fact]
    public async Task The_sweep_stops_once_no_request_has_a_deadline_even_one_whose_connection_closed_while_armed()
    {
        using var connection = new CancellationTokenSource();
        var first = new ConnectionDeadline(connection.Token);
        using var second = new ConnectionDeadline(connection.Token);
        first.Arm(TimeSpan.FromSeconds(30));
        second.Arm(TimeSpan.FromSeconds(30));
        Assert.True(DeadlineSweep.Running);

        second.Disarm();
        first.Dispose();
        await Task.Delay(DeadlineSweep.Interval * 10);

        Assert.False(DeadlineSweep.Running);
        Assert.False(second.Token.IsCancellationRequested);
    }
}
