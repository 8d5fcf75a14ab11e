using Faas.Provider.Scaling;

namespace Faas.Provider.Tests.Scaling;

public class ScalingDeciderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly ScalingBehaviour Behaviour = new() { StabilizationWindow = TimeSpan.FromSeconds(10) };
    private static readonly ScalingPolicy Capacity = new(ScalingType.Capacity, 10, 1, 5, false, TimeSpan.FromSeconds(30));

    public static TheoryData<ScalingPolicy, int, double, int> SingleDecisions => new()
    {
        { Capacity, 1, 35, 4 },
        { Capacity, 1, 0, 1 },
        { Capacity, 1, 10, 1 },
        { Capacity, 1, 10.5, 2 },
        { Capacity, 1, 500, 5 },
        { Capacity with { Min = 2 }, 1, 0, 2 },
        { Capacity with { Type = ScalingType.Queue, Max = 10 }, 1, 25, 3 },
        { Capacity with { Target = 0.5 }, 2, 2, 4 },
    };

    [Theory]
    [MemberData(nameof(SingleDecisions))]
    public void Desired_is_load_over_target_clamped_and_up_is_at_once(ScalingPolicy policy, int current, double load, int expected) =>
        Assert.Equal(expected, ScalingDecider.Decide(new ScalingInput(policy, current, load, load > 0, Start), null, Behaviour).Replicas);

    /// <summary>Runs one decision per second with the given loads, carrying the state, applying each decision.</summary>
    private static List<int> Run(ScalingPolicy policy, int replicas, IEnumerable<double> loads, ScalingBehaviour behaviour)
    {
        ScalingState? state = null;
        var results = new List<int>();
        var second = 0;
        foreach (var load in loads)
        {
            var decision = ScalingDecider.Decide(new ScalingInput(policy, replicas, load, load > 0, Start.AddSeconds(second++)), state, behaviour);
            (replicas, state) = (decision.Replicas, decision.State);
            results.Add(replicas);
        }

        return results;
    }

    [Fact]
    public void Down_waits_for_the_window_then_steps_one_replica_per_round()
    {
        var replicas = Run(Capacity, 5, [50, .. Enumerable.Repeat(0.0, 15)], Behaviour);

        Assert.Equal([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 3, 2, 1, 1], replicas);
    }

    [Fact]
    public void A_burst_inside_the_window_restarts_it()
    {
        var replicas = Run(Capacity, 5, [50, 0, 0, 0, 0, 0, 50, .. Enumerable.Repeat(0.0, 12)], Behaviour);

        Assert.Equal(5, replicas[15]);
        Assert.Equal(4, replicas[17]);
    }

    [Fact]
    public void A_fraction_scales_down_faster_but_not_below_the_windows_highest_recommendation()
    {
        var replicas = Run(Capacity with { Max = 20 }, 20, [200, .. Enumerable.Repeat(25.0, 14)], Behaviour with { ScaleDownFraction = 0.5 });

        Assert.Equal(20, replicas[10]);
        Assert.Equal(10, replicas[11]);
        Assert.Equal(3, replicas[^1]);
    }

    [Fact]
    public void Idle_functions_go_to_zero_after_their_zero_duration_and_wait_there_for_a_request()
    {
        var policy = Capacity with { ScaleToZero = true, ZeroAfter = TimeSpan.FromSeconds(5) };

        // The load at zero is requests waiting in the gateway's scale from zero, which brings the replica itself.
        var replicas = Run(policy, 1, [1, 0, 0, 0, 0, 0, 0, 0, 2, 0], Behaviour);

        Assert.Equal([1, 1, 1, 1, 1, 0, 0, 0, 0, 0], replicas);
    }

    [Fact]
    public void Without_scale_to_zero_the_minimum_holds_however_long_it_is_idle() =>
        Assert.All(Run(Capacity with { Min = 2 }, 2, Enumerable.Repeat(0.0, 100), Behaviour), replicas => Assert.Equal(2, replicas));

    [Fact]
    public void Each_decision_says_why()
    {
        var up = ScalingDecider.Decide(new ScalingInput(Capacity, 1, 35, true, Start), null, Behaviour);
        var holding = ScalingDecider.Decide(new ScalingInput(Capacity, 4, 0, false, Start.AddSeconds(1)), up.State, Behaviour);

        Assert.Equal("up: load 35 / target 10 → 4 (bounds 1-5)", up.Reason);
        Assert.StartsWith("holding: load 0 / target 10 → 1 (bounds 1-5); low for 0s of a 10s window", holding.Reason);
    }

    [Theory]
    [InlineData("com.openfaas.scale.type", "fast", "must be queue, capacity or rps")]
    [InlineData("com.openfaas.scale.target", "0", "must be a number greater than zero")]
    [InlineData("com.openfaas.scale.zero", "yes", "must be true or false")]
    [InlineData("com.openfaas.scale.zero-duration", "soon", "com.openfaas.scale.zero-duration must be")]
    public void Bad_labels_are_named(string label, string value, string expected) =>
        Assert.Contains(expected, ScalingPolicy.Check(new Dictionary<string, string> { [label] = value }));

    [Fact]
    public void Every_function_autoscales_on_request_load_between_its_bounds_unless_told_not_to()
    {
        Assert.Equal(new ScalingPolicy(ScalingType.Rps, 50, 1, 20, false, TimeSpan.FromMinutes(15)), ScalingPolicy.From(null));
        Assert.Equal(new ScalingPolicy(ScalingType.Rps, 50, 2, 20, false, TimeSpan.FromMinutes(15)), ScalingPolicy.From(new Dictionary<string, string> { ["com.openfaas.scale.min"] = "2" }));
        Assert.Equal(new ScalingPolicy(ScalingType.Capacity, 10, 1, 20, false, TimeSpan.FromMinutes(15)), ScalingPolicy.From(new Dictionary<string, string> { ["com.openfaas.scale.type"] = "capacity" }));
        Assert.Equal(
            new ScalingPolicy(ScalingType.Rps, 50, 0, 3, true, TimeSpan.FromSeconds(30)),
            ScalingPolicy.From(new Dictionary<string, string> { ["com.openfaas.scale.zero"] = "true", ["com.openfaas.scale.zero-duration"] = "30s", ["com.openfaas.scale.min"] = "0", ["com.openfaas.scale.max"] = "3" }));
        Assert.Null(ScalingPolicy.From(new Dictionary<string, string> { ["com.openfaas.scale.factor"] = "0" }));
        Assert.Null(ScalingPolicy.From(new Dictionary<string, string> { ["com.openfaas.scale.min"] = "3", ["com.openfaas.scale.max"] = "3" }));
        Assert.NotNull(ScalingPolicy.From(new Dictionary<string, string> { ["com.openfaas.scale.min"] = "3", ["com.openfaas.scale.max"] = "3", ["com.openfaas.scale.zero"] = "true" }));
        Assert.Contains("com.openfaas.scale.factor", ScalingPolicy.Check(new Dictionary<string, string> { ["com.openfaas.scale.factor"] = "lots" }));
    }

    [Fact]
    public void A_function_scaled_to_zero_by_hand_is_left_there_for_a_request_to_scale_from_zero()
    {
        var policy = ScalingPolicy.From(null)!;
        var idle = ScalingDecider.Decide(new ScalingInput(policy, 0, 0, Active: false, Start), null, Behaviour);
        // Requests from before the scale to zero, still in the rate's window and counted as activity in this round.
        var recentlyBusy = ScalingDecider.Decide(new ScalingInput(policy, 0, 120, Active: true, Start.AddSeconds(1)), idle.State, Behaviour);
        var woken = ScalingDecider.Decide(new ScalingInput(policy, 1, 120, Active: true, Start.AddSeconds(2)), recentlyBusy.State, Behaviour);
        var queued = ScalingDecider.Decide(new ScalingInput(policy with { Type = ScalingType.Queue }, 0, 40, Active: true, Start), null, Behaviour);

        Assert.Equal(0, idle.Replicas);
        Assert.Equal(0, queued.Replicas);
        Assert.Equal((0, "stays at zero, where it was scaled: the next request brings it back"), (recentlyBusy.Replicas, recentlyBusy.Reason));
        Assert.Equal(3, woken.Replicas);
    }

    [Fact]
    public void A_lagging_request_rate_does_not_keep_an_idle_function_from_zero()
    {
        var policy = new ScalingPolicy(ScalingType.Rps, 50, 1, 5, true, TimeSpan.FromSeconds(2));
        var busy = ScalingDecider.Decide(new ScalingInput(policy, 1, 0.1, Active: true, Start), null, Behaviour);
        var quiet = ScalingDecider.Decide(new ScalingInput(policy, 1, 0.1, Active: false, Start.AddSeconds(3)), busy.State, Behaviour);

        Assert.Equal(1, busy.Replicas);
        Assert.Equal(0, quiet.Replicas);
    }

    [Fact]
    public void Idle_time_counts_from_the_last_answer_not_from_the_last_round_that_saw_the_request()
    {
        var policy = new ScalingPolicy(ScalingType.Rps, 50, 1, 5, true, TimeSpan.FromSeconds(2));
        var inFlight = ScalingDecider.Decide(new ScalingInput(policy, 1, 0.1, Active: true, Start), null, Behaviour);
        var answeredLate = new ScalingInput(policy, 1, 0.1, Active: false, Start.AddSeconds(2.5)) { LastFinished = Start.AddSeconds(1.5) };
        var stillUp = ScalingDecider.Decide(answeredLate, inFlight.State, Behaviour);
        var idle = ScalingDecider.Decide(answeredLate with { Now = Start.AddSeconds(3.5) }, stillUp.State, Behaviour);

        Assert.Equal(1, stillUp.Replicas);
        Assert.Equal(0, idle.Replicas);
        Assert.Contains("idle for 2s", idle.Reason);
    }
}
