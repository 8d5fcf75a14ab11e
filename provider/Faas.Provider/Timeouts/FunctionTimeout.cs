using System.Globalization;
using Faas.Conventions;

namespace Faas.Provider.Timeouts;

/// <summary>
/// A function's own time limit: the <c>faas.timeout</c> annotation (or label), a duration such as <c>2m</c>. The
/// gateway bounds it by its maximum and sends the result to the watchdog as <c>X-Timeout</c>, so every hop stops
/// at the same moment; backends run the watchdog with it as <c>exec_timeout</c> (or no limit of its own when unset).
/// </summary>
public static class FunctionTimeout
{
    public const string Key = "faas.timeout";

    /// <summary>The text as given: the annotation wins over the label.</summary>
    public static string? Raw(IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations) =>
        annotations is not null && annotations.TryGetValue(Key, out var annotated) ? annotated
        : labels is not null && labels.TryGetValue(Key, out var labelled) ? labelled
        : null;

    public static TimeSpan? Read(IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations) =>
        Raw(labels, annotations) is { } text && Duration.TryParse(text, out var value) && value > TimeSpan.Zero ? value : null;

    /// <summary>A problem naming the field, or null.</summary>
    public static string? Check(IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations) =>
        Raw(labels, annotations) is { } text && !(Duration.TryParse(text, out var value) && value > TimeSpan.Zero)
            ? $"{Key} must be {Duration.AcceptedForm} greater than zero, got \"{text}\""
            : null;

    /// <summary>As a Go duration (what of-watchdog's X-Timeout parser accepts), e.g. <c>12.5s</c>.</summary>
    public static string Format(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
