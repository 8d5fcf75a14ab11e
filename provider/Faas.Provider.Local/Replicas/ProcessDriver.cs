using System.ComponentModel;
using Faas.Provider.Host.State;
using Faas.Provider.Host.Supervision;
using Faas.Provider.Local.Isolation;
using Faas.Provider.Local.Logs;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// Starts a replica as a watchdog process (in its sandbox, where there is one): taken from the standby pool when one
/// is idle and the function allows it, else started from scratch; in a control group of its own when the function
/// sets limits. Its output goes to the function's log.
/// </summary>
internal sealed class ProcessDriver(LocalProviderOptions options, StateDirectory state, ReplicaSandbox sandbox, ReplicaLimits limits, StandbyPool? standbys, FunctionLogs logs)
    : IReplicaDriver<ReplicaLaunch>
{
    public Task<IRunningReplica> StartAsync(ReplicaLaunch version, string instance, CancellationToken cancellationToken)
    {
        var log = logs.Of(version.Key);
        ReplicaGroup? group = null;
        try
        {
            group = limits.CreateGroup(instance, version.Deployment.Limits);
            var replica = (version.CanUseStandby ? standbys?.TryTake() : null)?.AssignStandby(version, instance, log, group)
                ?? ReplicaProcess.Start(options, state, sandbox, version, instance, log, group);
            return Task.FromResult<IRunningReplica>(replica);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Win32Exception or InvalidOperationException)
        {
            group?.TryDelete();
            throw new ReplicaStartException($"the watchdog did not start: {error.Message}", error);
        }
    }
}
