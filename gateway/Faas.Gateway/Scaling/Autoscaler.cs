using System.Collections.Concurrent;
using Faas.Gateway.Configuration;
using Faas.Gateway.Metrics;
using Faas.Provider;
using Faas.Provider.Scaling;
using Faas.Provider.Wire;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Scaling;

/// <summary>
/// Every interval, for each function with a scaling policy: measure its load, run the pure
/// <see cref="ScalingDecider"/>, scale through <see cref="IFunctionProvider"/> when the answer differs, and log the
/// decision with its inputs. The last decision per function is kept for <c>/system/function/NAME</c> and metrics.
/// </summary>
internal sealed class Autoscaler(IFunctionProvider provider, LoadMeter meter, GatewayMetrics metrics, IOptions<AutoscalingOptions> options, TimeProvider time, ILogger<Autoscaler> log) : BackgroundService
{
    private readonly ConcurrentDictionary<FunctionKey, (ScalingPolicy Policy, ScalingDecision Decision, DateTimeOffset At)> _last = new();

    /// <summary>The policy and last decision for a function, if it is autoscaled.</summary>
    public FunctionScaling? Describe(FunctionKey function) =>
        _last.TryGetValue(function, out var last)
            ? new FunctionScaling { Policy = last.Policy.ToString(), DesiredReplicas = last.Decision.Replicas, LastDecision = last.Decision.Reason, DecidedAt = last.At }
            : null;

    /// <summary>One round over every function (the loop's body; tests call it directly).</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var behaviour = new ScalingBehaviour { StabilizationWindow = settings.StabilizationWindow, ScaleDownFraction = settings.ScaleDownFraction };
        var seen = new HashSet<FunctionKey>();
        foreach (var function in await provider.ListAllAsync(cancellationToken))
        {
            if (ScalingPolicy.From(function.Labels) is { } policy)
            {
                seen.Add(function.Key());
                await DecideAsync(function.Key(), function, policy, behaviour, settings, cancellationToken);
            }
        }

        foreach (var gone in _last.Keys.Where(key => !seen.Contains(key)))
        {
            _last.TryRemove(gone, out _);
            meter.Forget(gone);
            metrics.DesiredReplicas.RemoveLabelled(gone.ToString());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Of several gateway replicas, only the one the backend elected scales; the others would fight it.
                if (provider.IsLeader)
                {
                    await RunOnceAsync(stoppingToken);
                }

                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // No round may stop the loop (and with it the gateway): a backend or the queue down only skips rounds.
                log.LogWarning("Autoscaler round failed: {Error}", error.Message);
                await Task.Delay(options.Value.Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task DecideAsync(FunctionKey key, FunctionStatus function, ScalingPolicy policy, ScalingBehaviour behaviour, AutoscalingOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = (int)function.Replicas;
        var (load, active, lastFinished, queueProblem) = await meter.MeasureAsync(key, policy, now, settings.RpsWindow, cancellationToken);
        var previous = _last.TryGetValue(key, out var last) ? last.Decision.State : null;
        if (load is null)
        {
            // Scaled on a queue that cannot be counted now: left as it is, and its status says why.
            _last[key] = (policy, new ScalingDecision(current, $"left at {current}: {queueProblem}", previous ?? new ScalingState([], null, now)), now);
            log.LogDebug("Autoscaler {Function}: left at {Replicas} replicas, {Problem}", key, current, queueProblem);
            return;
        }

        var decision = ScalingDecider.Decide(new ScalingInput(policy, current, load.Value, active, now) { LastFinished = lastFinished }, previous, behaviour);
        _last[key] = (policy, decision, now);
        metrics.DesiredReplicas.WithLabels(key.ToString()).Set(decision.Replicas);
        if (decision.Replicas == current)
        {
            log.LogDebug("Autoscaler {Function}: {Replicas} replicas, {Reason}", key, current, decision.Reason);
            return;
        }

        log.LogInformation("Autoscaler {Function} ({Policy}): {Current} → {Replicas} replicas, {Reason}", key, policy, current, decision.Replicas, decision.Reason);
        try
        {
            await provider.ScaleAsync(new ScaleServiceRequest { ServiceName = key.Name, Namespace = key.Namespace, Replicas = (ulong)decision.Replicas }, cancellationToken);
        }
        catch (ProviderException error) when (error.Kind == ProviderError.NotFound)
        {
            _last.TryRemove(key, out _);
        }
    }
}
