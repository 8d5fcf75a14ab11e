namespace Faas.Provider.Host.Supervision;

/// <summary>
/// What a supervised replica has been through: restarts, failures in a row and the last exit, and how long to wait
/// before the next start (exponential from <paramref name="backoffMin"/>, capped at <paramref name="backoffMax"/>).
/// Shared by the backends that supervise replicas themselves (local processes, Docker containers).
/// </summary>
public sealed class RestartHistory(TimeSpan backoffMin, TimeSpan backoffMax)
{
    /// <summary>A replica that served this long before it died counts as healthy again: its backoff starts over.</summary>
    public static readonly TimeSpan HealthyRun = TimeSpan.FromSeconds(10);

    public int Restarts { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public string? LastExit { get; private set; }

    /// <param name="ranHealthy">Whether the replica was ready and served at least <see cref="HealthyRun"/>.</param>
    public void Record(string reason, bool ranHealthy)
    {
        Restarts++;
        ConsecutiveFailures = ranHealthy ? 1 : ConsecutiveFailures + 1;
        LastExit = reason;
    }

    /// <summary>Waits out the backoff; returns early (without throwing) when <paramref name="stopping"/> is cancelled.</summary>
    public async Task WaitBeforeRestartAsync(CancellationToken stopping)
    {
        var exponent = Math.Min(ConsecutiveFailures - 1, 16);
        var delay = TimeSpan.FromMilliseconds(Math.Min(backoffMin.TotalMilliseconds * Math.Pow(2, exponent), backoffMax.TotalMilliseconds));
        try
        {
            await Task.Delay(delay, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
