namespace Faas.Gateway.Connectors;

/// <summary>Which subscribed pattern a message's topic matched, for metrics labelled by subscription (bounded) rather than by topic.</summary>
internal static class TopicPatterns
{
    /// <summary>
    /// AMQP topic-exchange matching: words split on <c>.</c>, <c>*</c> one word, <c>#</c> zero or more. A table over
    /// pattern and key positions, so a pattern full of <c>#</c> costs pattern × key steps, not a backtracking blow-up.
    /// </summary>
    public static bool AmqpMatches(string pattern, string routingKey)
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
