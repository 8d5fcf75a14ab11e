using System.ComponentModel;
using Faas.Provider.Host.State;
using Faas.Provider.Host.Supervision;
using Faas.Provider.Local.Isolation;
using Faas.Provider.Local.Logs;
using Microsoft.Extensions.Logging;

namespace Faas.Provider.Local.Replicas;

/// <summary>
/// Starts a replica as a watchdog process (in its sandbox, where there is one): taken from the standby pool when one
/// is idle, the function allows it and the standby's group can take the function's limits, else started from scratch;
/// in a control group of its own where there are limits to hold it to (see <see cref="ReplicaLimits"/>). Its output
/// goes to the function's log.
/// </summary>
internal sealed partial class ProcessDriver(LocalProviderOptions options, StateDirectory state, ReplicaSandbox sandbox, ReplicaLimits limits, StandbyPool? standbys, FunctionLogs logs, ILogger log)
    : IReplicaDriver<ReplicaLaunch>
{
    public Task<IRunningReplica> StartAsync(ReplicaLaunch version, string instance, CancellationToken cancellationToken)
    {
        var functionLog = logs.Of(version.Key);
        ReplicaGroup? group = null;
        try
        {
            if ((version.CanUseStandby ? standbys?.TryTake() : null) is { } standby && TakesLimits(standby, version))
            {
                try
                {
                    return Task.FromResult<IRunningReplica>(standby.AssignStandby(version, instance, functionLog));
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Its files or its variables could not be handed over: a standby half given a function is no use.
                    LetGo(standby);
                    throw;
                }
            }

            group = limits.NeedGroup(version.Deployment.Limits) ? limits.CreateGroup(instance) : null;
            if (group is not null)
            {
                limits.Apply(group, version.Deployment.Limits);
            }

            return Task.FromResult<IRunningReplica>(ReplicaProcess.Start(options, state, sandbox, version, instance, functionLog, group));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Win32Exception or InvalidOperationException)
        {
            group?.TryDelete();
            throw new ReplicaStartException($"the watchdog did not start: {error.Message}", error);
        }
    }

    /// <summary>
    /// A standby's group (made when it started) takes the function's limits first. One that cannot (on cgroup v1, a
    /// memory limit below what its watchdog already holds is refused) is stopped, never handed the function, and the
    /// replica starts from scratch, in a new group that takes the limits before anything runs.
    /// </summary>
    private bool TakesLimits(ReplicaProcess standby, ReplicaLaunch version)
    {
        try
        {
            if (standby.Group is { } group)
            {
                limits.Apply(group, version.Deployment.Limits);
            }

            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            LogStandbyRefusedLimits(log, version.Key.ToString(), error.Message);
            LetGo(standby);
            return false;
        }
    }

    /// <summary>Kills a standby taken from the pool and not handed its function; its pipes here close once it has exited.</summary>
    private static void LetGo(ReplicaProcess standby)
    {
        standby.Kill();
        _ = DisposeWhenExitedAsync(standby);

        static async Task DisposeWhenExitedAsync(ReplicaProcess standby)
        {
            await standby.Exited.ConfigureAwait(false);
            await standby.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A standby watchdog could not take the limits of {Function} ({Problem}): it is stopped, and the replica starts from scratch")]
    private static partial void LogStandbyRefusedLimits(ILogger logger, string function, string problem);
}
