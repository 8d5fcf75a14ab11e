using System.Globalization;

namespace Faas.Provider.Validation;

/// <summary>The <c>com.openfaas.scale.*</c> labels: defaults and checks shared by the backends and the autoscaler.</summary>
public static class ScalingLabels
{
    public const string Min = "com.openfaas.scale.min";
    public const string Max = "com.openfaas.scale.max";

    public const int DefaultMin = 1;

    /// <summary>OpenFaaS CE's default maximum: the most replicas a function may have without a <c>com.openfaas.scale.max</c>.</summary>
    public const int DefaultMax = 20;

    /// <summary>The replica count a new function starts with: <c>com.openfaas.scale.min</c>, else 1.</summary>
    public static int InitialReplicas(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Min, out var min) && int.TryParse(min, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : DefaultMin;

    /// <summary>The most replicas a function may have: <c>com.openfaas.scale.max</c>, else <see cref="DefaultMax"/>.</summary>
    public static int MaxReplicas(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Max, out var max) && int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : DefaultMax;

    public static string? Check(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return null;
        }

        int? min = null;
        int? max = null;
        foreach (var (key, target) in new[] { (Min, 0), (Max, 1) })
        {
            if (labels.TryGetValue(key, out var text))
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return $"label {key} must be a whole number, got \"{text}\"";
                }

                if (target == 0)
                {
                    min = value;
                }
                else
                {
                    max = value;
                }
            }
        }

        return min is not null && max is not null && min > max ? $"label {Min} ({min}) is greater than {Max} ({max})" : null;
    }
}
