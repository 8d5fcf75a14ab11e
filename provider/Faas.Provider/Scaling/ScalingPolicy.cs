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
/// A function's autoscaling, from its labels. A function is autoscaled when it has <c>com.openfaas.scale.type</c>
/// (<c>queue</c>, <c>capacity</c> or <c>rps</c>) or <c>com.openfaas.scale.zero=true</c>. Defaults: type
/// <c>capacity</c>; target per replica 10 (queue: messages, capacity: requests in flight) or 50 (rps); min 1;
/// max 20; scale to zero off, after 15 minutes idle (<c>com.openfaas.scale.zero-duration</c>).
/// </summary>
public sealed record ScalingPolicy(ScalingType Type, double Target, int Min, int Max, bool ScaleToZero, TimeSpan ZeroAfter)
{
    public const string TypeLabel = "com.openfaas.scale.type";
    public const string TargetLabel = "com.openfaas.scale.target";
    public const string ZeroLabel = "com.openfaas.scale.zero";
    public const string ZeroDurationLabel = "com.openfaas.scale.zero-duration";

    public static readonly TimeSpan DefaultZeroAfter = TimeSpan.FromMinutes(15);

    /// <summary>The policy, or null if the function is not autoscaled. Labels are assumed valid (see <see cref="Check"/>).</summary>
    public static ScalingPolicy? From(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null || (!labels.ContainsKey(TypeLabel) && !(labels.TryGetValue(ZeroLabel, out var zeroText) && zeroText == "true")))
        {
            return null;
        }

        var type = labels.TryGetValue(TypeLabel, out var typeText) ? ParseType(typeText) ?? ScalingType.Capacity : ScalingType.Capacity;
        var target = labels.TryGetValue(TargetLabel, out var targetText) && double.TryParse(targetText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : type == ScalingType.Rps ? 50 : 10;
        var max = ScalingLabels.MaxReplicas(labels);
        var zeroAfter = labels.TryGetValue(ZeroDurationLabel, out var durationText) && Duration.TryParse(durationText, out var duration) ? duration : DefaultZeroAfter;
        return new ScalingPolicy(type, target, ScalingLabels.InitialReplicas(labels), max, labels.GetValueOrDefault(ZeroLabel) == "true", zeroAfter);
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
