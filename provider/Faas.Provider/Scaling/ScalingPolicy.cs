using System.Globalization;
using Faas.Conventions;
using Faas.Provider.Validation;

namespace Faas.Provider.Scaling;

/// <summary>What a function's load is measured as: queued async requests, sync requests in flight, or requests per second.</summary>
public enum ScalingType
{
    Queue,
    Capacity,
    Rps,
}

/// <summary>
/// A function's autoscaling, from its labels. As in OpenFaaS, every function is autoscaled on its request load
/// between <c>com.openfaas.scale.min</c> (default 1) and <c>.max</c> (default 20), unless
/// <c>com.openfaas.scale.factor=0</c> or min equals max (and it does not scale to zero). Defaults: type <c>rps</c>
/// (else <c>capacity</c> or <c>queue</c>); target per replica 50 (rps) or 10 (queue: messages, capacity: requests in
/// flight); scale to zero off, after 15 minutes idle (<c>com.openfaas.scale.zero-duration</c>) when on.
/// </summary>
public sealed record ScalingPolicy(ScalingType Type, double Target, int Min, int Max, bool ScaleToZero, TimeSpan ZeroAfter)
{
    public const string TypeLabel = "com.openfaas.scale.type";
    public const string TargetLabel = "com.openfaas.scale.target";
    public const string ZeroLabel = "com.openfaas.scale.zero";
    public const string ZeroDurationLabel = "com.openfaas.scale.zero-duration";
    public const string FactorLabel = "com.openfaas.scale.factor";

    public static readonly TimeSpan DefaultZeroAfter = TimeSpan.FromMinutes(15);

    /// <summary>The policy, or null if the function is not autoscaled. Labels are assumed valid (see <see cref="Check"/>).</summary>
    public static ScalingPolicy? From(IReadOnlyDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        var zero = labels.GetValueOrDefault(ZeroLabel) == "true";
        if (labels.GetValueOrDefault(FactorLabel) == "0" || (ScalingLabels.InitialReplicas(labels) >= ScalingLabels.MaxReplicas(labels) && !zero))
        {
            return null;
        }

        var type = labels.TryGetValue(TypeLabel, out var typeText) ? ParseType(typeText) ?? ScalingType.Rps : ScalingType.Rps;
        var target = labels.TryGetValue(TargetLabel, out var targetText) && double.TryParse(targetText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : type == ScalingType.Rps ? 50 : 10;
        var max = ScalingLabels.MaxReplicas(labels);
        var zeroAfter = labels.TryGetValue(ZeroDurationLabel, out var durationText) && Duration.TryParse(durationText, out var duration) ? duration : DefaultZeroAfter;
        return new ScalingPolicy(type, target, ScalingLabels.InitialReplicas(labels), max, zero, zeroAfter);
    }

    /// <summary>A problem naming the label, or null.</summary>
    public static string? Check(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return null;
        }

        if (labels.TryGetValue(TypeLabel, out var type) && ParseType(type) is null)
        {
            return $"label {TypeLabel} must be queue, capacity or rps, got \"{type}\"";
        }

        if (labels.TryGetValue(TargetLabel, out var target) &&
            !(double.TryParse(target, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0))
        {
            return $"label {TargetLabel} must be a number greater than zero, got \"{target}\"";
        }

        if (labels.TryGetValue(FactorLabel, out var factor) && !(int.TryParse(factor, NumberStyles.None, CultureInfo.InvariantCulture, out var percent) && percent <= 100))
        {
            return $"label {FactorLabel} must be a whole number from 0 to 100 (0 turns autoscaling off), got \"{factor}\"";
        }

        if (labels.TryGetValue(ZeroLabel, out var zero) && zero is not ("true" or "false"))
        {
            return $"label {ZeroLabel} must be true or false, got \"{zero}\"";
        }

        return labels.TryGetValue(ZeroDurationLabel, out var duration) && !(Duration.TryParse(duration, out var span) && span > TimeSpan.Zero)
            ? $"label {ZeroDurationLabel} must be {Duration.AcceptedForm}, got \"{duration}\""
            : null;
    }

    public override string ToString() =>
        $"{Type.ToString().ToLowerInvariant()}, target {Target.ToString(CultureInfo.InvariantCulture)} per replica, {Min}-{Max} replicas{(ScaleToZero ? $", to zero after {ZeroAfter.TotalSeconds:0.###}s idle" : "")}";

    private static ScalingType? ParseType(string text) => text switch
    {
        "queue" => ScalingType.Queue,
        "capacity" => ScalingType.Capacity,
        "rps" => ScalingType.Rps,
        _ => null,
    };
}
