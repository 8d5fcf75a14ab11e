using System.ComponentModel;
using Faas.Provider.Host.State;
using Faas.Provider.Host.Supervision;
using Faas.Provider.Local.Isolation;
using Faas.Provider.Local.Logs;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// Starts a replica as a watchdog process (in its sandbox, where there is one): taken from the standby pool when one
/// is idle and the function allows it, else started from scratch; in a control group of its own where there are limits
/// to hold it to (see <see cref="ReplicaLimits"/>). Its output goes to the function's log.
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
            if ((version.CanUseStandby ? standbys?.TryTake() : null) is { } standby)
            {
                return Task.FromResult<IRunningReplica>(Assign(standby, version, instance, log));
            }

            group = limits.NeedGroup(version.Deployment.Limits) ? limits.CreateGroup(instance) : null;
            if (group is not null)
            {
                limits.Apply(group, version.Deployment.Limits);
            }

            return Task.FromResult<IRunningReplica>(ReplicaProcess.Start(options, state, sandbox, version, instance, log, group));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Win32Exception or InvalidOperationException)
        {
            group?.TryDelete();
            throw new ReplicaStartException($"the watchdog did not start: {error.Message}", error);
        }
    }

    /// <summary>A standby's group (made when it started) takes the function's limits first; one that cannot is killed.</summary>
    private ReplicaProcess Assign(ReplicaProcess standby, ReplicaLaunch version, string instance, FunctionLog log)
    {
        try
        {
            if (standby.Group is { } group)
            {
                limits.Apply(group, version.Deployment.Limits);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            standby.Kill();
            throw;
        }

        return standby.AssignStandby(version, instance, log);
    }
}
