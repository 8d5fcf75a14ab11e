namespace Faas.Gateway.Connectors;

/// <summary>Which subscribed pattern a message's topic matched, for metrics labelled by subscription (bounded) rather than by topic.</summary>
internal static class TopicPatterns
{
    /// <summary>AMQP topic-exchange matching: words split on <c>.</c>, <c>*</c> one word, <c>#</c> zero or more.</summary>
    public static bool AmqpMatches(string pattern, string routingKey) => Match(pattern.Split('.'), 0, routingKey.Split('.'), 0);

    private static bool Match(string[] pattern, int p, string[] words, int w)
    {
        if (p == pattern.Length)
        {
            return w == words.Length;
        }

        if (pattern[p] == "#")
        {
            for (var skip = w; skip <= words.Length; skip++)
            {
                if (Match(pattern, p + 1, words, skip))
                {
                    return true;
                }
            }

            return false;
        }

        return w < words.Length && (pattern[p] == "*" || pattern[p] == words[w]) && Match(pattern, p + 1, words, w + 1);
    }
}
