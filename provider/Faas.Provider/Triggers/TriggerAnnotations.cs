namespace Faas.Provider.Triggers;

/// <summary>
/// The annotations that make events invoke a function, with OpenFaaS connectors' names: <c>schedule</c> (a cron
/// schedule, UTC), <c>topic</c> (comma-separated topics) and <c>reply-topic</c> (where a connector publishes the
/// function's answer). As with OpenFaaS, every connector reads <c>topic</c>; a topic written <c>CONNECTOR:topic</c>
/// (<c>nats:</c>, <c>rabbitmq:</c>, <c>mqtt:</c>) is for that connector only, where a name would be ambiguous or valid
/// on one broker only (an MQTT filter with <c>+</c>). A reply topic is refused where the function's own topics match it.
/// </summary>
public static class TriggerAnnotations
{
    public const string Schedule = "schedule";
    public const string Topic = "topic";
    public const string ReplyTopic = "reply-topic";

    public const string Nats = "nats";
    public const string RabbitMq = "rabbitmq";
    public const string Mqtt = "mqtt";

    private static readonly string[] Connectors = [Nats, RabbitMq, Mqtt];

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

        foreach (var name in (string[])[Topic, ReplyTopic])
        {
            if (annotations.TryGetValue(name, out var topics) && Split(topics).Select(entry => CheckTopic(entry.Connector, entry.Topic)).FirstOrDefault(problem => problem is not null) is { } problem)
            {
                return $"annotation {name}: {problem}, got \"{topics}\"";
            }
        }

        return Connectors.Select(connector => ReplyTopicProblem(annotations, connector)).FirstOrDefault(problem => problem is not null);
    }

    /// <summary>
    /// A reply topic is published to, so it has no wildcards; and none of the function's own topics may match it: each
    /// answer would invoke the function again, and that answer again, without end. Null when there is no problem.
    /// </summary>
    public static string? ReplyTopicProblem(IReadOnlyDictionary<string, string> annotations, string connector)
    {
        if (ReplyTopicFor(annotations, connector) is not { } reply)
        {
            return null;
        }

        if (!TopicMatch.IsPublishable(connector, reply))
        {
            return $"annotation {ReplyTopic}: {connector} publishes answers to \"{reply}\", and a topic published to has no wildcards";
        }

        return annotations.TryGetValue(Topic, out var topics) && Topics(topics, connector).FirstOrDefault(filter => TopicMatch.Matches(connector, filter, reply)) is { } own
            ? $"annotation {ReplyTopic}: \"{reply}\" is matched by the function's own topic \"{own}\" on {connector}: every answer would invoke the function again"
            : null;
    }

    /// <summary>The topics of a <c>topic</c> annotation that <paramref name="connector"/> subscribes to: unprefixed ones and those with its prefix.</summary>
    public static IReadOnlyList<string> Topics(string annotation, string connector) =>
        [.. Split(annotation).Where(entry => entry.Connector is null || entry.Connector == connector).Select(entry => entry.Topic).Distinct(StringComparer.Ordinal)];

    /// <summary>The reply topic <paramref name="connector"/> publishes a function's answer to, or null.</summary>
    public static string? ReplyTopicFor(IReadOnlyDictionary<string, string>? annotations, string connector) =>
        annotations?.GetValueOrDefault(ReplyTopic) is { } value
            ? Split(value).Where(entry => entry.Connector == connector).Concat(Split(value).Where(entry => entry.Connector is null)).Select(entry => entry.Topic).FirstOrDefault()
            : null;

    private static IEnumerable<(string? Connector, string Topic)> Split(string annotation) =>
        annotation.Split(',').Select(entry => entry.Trim()).Select(entry =>
            Connectors.FirstOrDefault(name => entry.StartsWith(name + ":", StringComparison.Ordinal)) is { } connector
                ? ((string?)connector, entry[(connector.Length + 1)..])
                : (null, entry));

    /// <summary>What the broker would refuse: unprefixed topics go to every connector, so they must suit all.</summary>
    private static string? CheckTopic(string? connector, string topic)
    {
        if (topic.Length == 0 || topic.Any(char.IsWhiteSpace) || topic.Any(char.IsControl))
        {
            return "topics are comma-separated, non-empty and without white space";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(topic) > 255)
        {
            return "a topic is at most 255 bytes (RabbitMQ's limit on a routing key)";
        }

        if (connector is null or Mqtt && !IsMqttFilter(topic))
        {
            return "an MQTT topic filter has '+' or '#' only as a whole level, and '#' only as the last";
        }

        return null;
    }

    private static bool IsMqttFilter(string filter)
    {
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if ((level.Contains('+') && level != "+") || (level.Contains('#') && (level != "#" || i != levels.Length - 1)))
            {
                return false;
            }
        }

        return true;
    }
}
