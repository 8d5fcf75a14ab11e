namespace Faas.Proxy.Tests;

public class RequestDeadlineTests
{
    [Fact]
    public async Task The_token_is_cancelled_when_the_limit_passes_and_the_deadline_says_it_expired()
    {
        using var client = new CancellationTokenSource();
        using var deadline = RequestDeadline.Start(TimeSpan.FromMilliseconds(50), client.Token);

        await WaitForCancellationAsync(deadline.Token);

        Assert.True(deadline.Expired);
        Assert.Equal(TimeSpan.FromMilliseconds(50), deadline.Limit);
    }

    [Fact]
    public async Task The_client_going_away_cancels_without_counting_as_expired()
    {
        using var client = new CancellationTokenSource();
        using var deadline = RequestDeadline.Start(TimeSpan.FromMinutes(1), client.Token);

        await client.CancelAsync();

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
    }

    [Fact]
    public async Task Without_a_limit_only_the_client_cancels()
    {
        using var client = new CancellationTokenSource();
        using var deadline = RequestDeadline.Start(TimeSpan.Zero, client.Token);

        await Task.Delay(100);

        Assert.False(deadline.Token.IsCancellationRequested);
        Assert.Equal(TimeSpan.Zero, deadline.Limit);
    }

    [Fact]
    public async Task A_reused_deadline_carries_nothing_over_from_an_earlier_request()
    {
        // Many earlier requests: some expired, some had their client go away, most ended in time with a timer pending.
        for (var i = 0; i < 50; i++)
        {
            using var client = new CancellationTokenSource();
            var earlier = RequestDeadline.Start(TimeSpan.FromMilliseconds(i % 3 == 0 ? 1 : 200), client.Token);
            if (i % 5 == 0)
            {
                await client.CancelAsync();
            }
            else if (i % 3 == 0)
            {
                await WaitForCancellationAsync(earlier.Token);
            }

            earlier.Dispose();
            earlier.Dispose();
        }

        using var quiet = new CancellationTokenSource();
        var later = Enumerable.Range(0, 50).Select(_ => RequestDeadline.Start(TimeSpan.Zero, quiet.Token)).ToList();
        await Task.Delay(400);

        Assert.All(later, deadline => Assert.False(deadline.Token.IsCancellationRequested, "a pooled deadline fired for an earlier request"));
        await quiet.CancelAsync();
        Assert.All(later, deadline => Assert.True(deadline.Token.IsCancellationRequested));
        later.ForEach(deadline => deadline.Dispose());
    }

    private static async Task WaitForCancellationAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = token.Register(() => cancelled.TrySetResult());
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
