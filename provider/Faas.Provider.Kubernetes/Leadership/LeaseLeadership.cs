using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace Faas.Provider.Kubernetes.Leadership;

/// <summary>
/// Leader election among gateway replicas through a coordination.k8s.io Lease (KubernetesClient's LeaderElector, the
/// algorithm of client-go): the holder renews every retry period; the others check as often and take over once the
/// Lease has not been renewed for its duration. A leader that cannot renew (the API server away) stops leading before
/// another can take over, so two never act at once. Each check is two requests (GET, then PUT by the holder).
/// </summary>
internal sealed partial class LeaseLeadership : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile bool _leading;

    public LeaseLeadership(IKubernetes client, string @namespace, string name, TimeSpan duration, TimeSpan retryPeriod, ILogger log)
    {
        Identity = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        var config = new LeaderElectionConfig(new LeaseLock(client, @namespace, name, Identity))
        {
            LeaseDuration = duration,
            RenewDeadline = duration * 2 / 3,
            RetryPeriod = retryPeriod,
        };
        _loop = Task.Run(() => RunAsync(config, $"{@namespace}/{name}", log, _stop.Token));
    }

    public string Identity { get; }

    public bool IsLeader => _leading;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(LeaderElectionConfig config, string lease, ILogger log, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            using var elector = new LeaderElector(config);
            elector.OnStartedLeading += () =>
            {
                _leading = true;
                LogLeading(log, Identity, lease);
            };
            elector.OnStoppedLeading += () =>
            {
                _leading = false;
                LogStopped(log, Identity, lease);
            };
            try
            {
                await elector.RunAndTryToHoldLeadershipForeverAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                _leading = false;
                LogFailed(log, lease, error.Message);
                await Task.Delay(config.RetryPeriod, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes: {Identity} leads (Lease {Lease}): the autoscaler and cron triggers run here")]
    private static partial void LogLeading(ILogger log, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes: {Identity} no longer leads (Lease {Lease})")]
    private static partial void LogStopped(ILogger log, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes: leader election on Lease {Lease} failed, trying again: {Error}")]
    private static partial void LogFailed(ILogger log, string lease, string error);
}
