namespace Faas.Provider.Scaling;

/// <summary>
/// The autoscaler's decision, a pure function: desired = clamp(ceil(load / target), min, max). Up at once; down only
/// after the recommendation has stayed below the current count for the stabilization window, then one step (or a
/// fraction) per round, never below the highest recommendation of the window. To zero only when the policy allows it
/// and the function has been idle for its zero-duration. From zero, never: every call to a function at zero, sync,
/// queued or from a trigger, goes through the gateway's scale from zero, so the autoscaler acting on activity there
/// could only undo a scale to zero made by hand moments after the last request.
/// </summary>
public static class ScalingDecider
{
    public static ScalingDecision Decide(ScalingInput input, ScalingState? previous, ScalingBehaviour behaviour)
    {
        var (policy, current, now) = (input.Policy, input.CurrentReplicas, input.Now);
        // Activity, not load, marks a function busy: a request rate is averaged over a window and lags behind the last request.
        // Idle counts from the last answer, which can come up to a round after the last round that saw the request in flight.
        var lastActive = input.Active || previous is null ? now : previous.LastActive;
        if (input.LastFinished > lastActive)
        {
            lastActive = input.LastFinished.Value;
        }

        var floor = Math.Max(policy.Min, policy.ScaleToZero ? 1 : 0);
        var recommended = Math.Clamp((int)Math.Ceiling(input.Load / policy.Target), floor, Math.Max(policy.Max, floor));
        var recommendations = (previous?.Recommendations ?? [])
            .Where(r => r.At > now - behaviour.StabilizationWindow)
            .Append((At: now, Replicas: recommended))
            .ToList();

        if (policy.ScaleToZero && now - lastActive >= policy.ZeroAfter)
        {
            var idle = $"idle for {(now - lastActive).TotalSeconds:0.#}s (zero-duration {policy.ZeroAfter.TotalSeconds:0.#}s)";
            return new ScalingDecision(0, current == 0 ? $"stays at zero: {idle}" : $"to zero: {idle}", new ScalingState(recommendations, null, lastActive));
        }

        if (current == 0)
        {
            return new ScalingDecision(0, "stays at zero, where it was scaled: the next request brings it back", new ScalingState(recommendations, null, lastActive));
        }

        var why = $"load {input.Load:0.##} / target {policy.Target:0.##} → {recommended} (bounds {floor}-{policy.Max})";
        if (recommended >= current)
        {
            return new ScalingDecision(recommended, recommended > current ? $"up: {why}" : $"steady: {why}", new ScalingState(recommendations, null, lastActive));
        }

        var lowSince = previous?.LowSince ?? now;
        var state = new ScalingState(recommendations, lowSince, lastActive);
        if (now - lowSince < behaviour.StabilizationWindow)
        {
            return new ScalingDecision(current, $"holding: {why}; low for {(now - lowSince).TotalSeconds:0.#}s of a {behaviour.StabilizationWindow.TotalSeconds:0.#}s window", state);
        }

        var step = behaviour.ScaleDownFraction > 0 ? Math.Max(1, (int)Math.Ceiling(current * behaviour.ScaleDownFraction)) : 1;
        var next = Math.Max(recommendations.Max(r => r.Replicas), current - step);
        return new ScalingDecision(next, $"down: {why}; low for the whole {behaviour.StabilizationWindow.TotalSeconds:0.#}s window", state);
    }
}
