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
}
