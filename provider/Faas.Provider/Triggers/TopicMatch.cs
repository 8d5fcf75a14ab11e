namespace Faas.Provider.Triggers;

/// <summary>
/// Whether a subscription's filter matches a topic, by each broker's rules: NATS subjects (<c>.</c> tokens, <c>*</c>
/// one token, <c>&gt;</c> the rest), MQTT topics (<c>/</c> levels, <c>+</c> one level, <c>#</c> the rest, the parent
/// included) and AMQP topic exchanges (<c>.</c> words, <c>*</c> one word, <c>#</c> zero or more).
/// </summary>
public static class TopicMatch
{
    public static bool Matches(string connector, string filter, string topic) => connector switch
    {
        TriggerAnnotations.Nats => Nats(filter, topic),
        TriggerAnnotations.Mqtt => Mqtt(filter, topic),
        TriggerAnnotations.RabbitMq => Amqp(filter, topic),
        _ => throw new ArgumentOutOfRangeException(nameof(connector), connector, "not a connector"),
    };

    /// <summary>
    /// Whether <paramref name="topic"/> is a topic to publish to on <paramref name="connector"/>, not a filter. MQTT forbids
    /// wildcards in a PUBLISH. nats-server refuses them only in pedantic mode ("Invalid Publish Subject"); otherwise such a
    /// message reaches only subscriptions with a wildcard in that place, never a subscriber of a concrete subject.
    /// </summary>
    public static bool IsPublishable(string connector, string topic) => connector switch
    {
        TriggerAnnotations.Nats => !topic.Split('.').Any(token => token is "*" or ">"),
        TriggerAnnotations.Mqtt => topic.IndexOfAny(['+', '#']) < 0,
        _ => true,
    };

    public static bool Nats(string filter, string subject)
    {
        var tokens = filter.Split('.');
        var words = subject.Split('.');
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] == ">" && i == tokens.Length - 1)
            {
                return words.Length > i;
            }

            if (i >= words.Length || (tokens[i] != "*" && tokens[i] != words[i]))
            {
                return false;
            }
        }

        return tokens.Length == words.Length;
    }

    public static bool Mqtt(string filter, string topic)
    {
        // A filter that starts with a wildcard does not match the broker's own $-topics.
        if (topic.StartsWith('$') && filter.Length > 0 && filter[0] is '+' or '#')
        {
            return false;
        }

        var levels = filter.Split('/');
        var names = topic.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            if (levels[i] == "#")
            {
                return true;
            }

            if (i >= names.Length || (levels[i] != "+" && levels[i] != names[i]))
            {
                return false;
            }
        }

        return levels.Length == names.Length;
    }

    /// <summary>
    /// A table over pattern and key positions, so a pattern full of <c>#</c> costs pattern × key steps, not a
    /// backtracking blow-up.
    /// </summary>
    public static bool Amqp(string pattern, string routingKey)
    {
        var parts = pattern.Split('.');
        var words = routingKey.Split('.');

        // matches[w]: whether the pattern's parts so far match the key's first w words.
        var matches = new bool[words.Length + 1];
        matches[0] = true;
        foreach (var part in parts)
        {
            var next = new bool[words.Length + 1];
            for (var w = 0; w <= words.Length; w++)
            {
                next[w] = part == "#"
                    ? matches[w] || (w > 0 && next[w - 1])
                    : w > 0 && matches[w - 1] && (part == "*" || part == words[w - 1]);
            }

            matches = next;
        }

        return matches[words.Length];
    }
}
