namespace Faas.Provider.Triggers;

/// <summary>
/// The annotations that make events invoke a function, with OpenFaaS connectors' names: <c>schedule</c> (a cron
/// schedule, UTC) and <c>topic</c> (comma-separated NATS subjects).
/// </summary>
public static class TriggerAnnotations
{
    public const string Schedule = "schedule";
    public const string Topic = "topic";

    /// <summary>A problem naming the annotation, or null.</summary>
    public static string? Check(IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null)
        {
            return null;
        }

        if (annotations.TryGetValue(Schedule, out var schedule) && !CronSchedule.TryParse(schedule, out _, out var error))
        {
            return $"annotation {Schedule}: {error}";
        }

        return annotations.TryGetValue(Topic, out var topics) && Topics(topics).Any(topic => topic.Any(char.IsWhiteSpace) || topic.Length == 0)
            ? $"annotation {Topic} must be comma-separated NATS subjects, got \"{topics}\""
            : null;
    }

    public static IReadOnlyList<string> Topics(string annotation) => [.. annotation.Split(',').Select(topic => topic.Trim())];
}
