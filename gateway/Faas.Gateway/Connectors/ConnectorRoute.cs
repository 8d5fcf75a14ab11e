using Faas.Provider;
using Faas.Provider.Triggers;
using Faas.Provider.Wire;

namespace Faas.Gateway.Connectors;

/// <summary>What one connector does for one function: the topics it subscribes the function to, and where the answer goes.</summary>
internal sealed record ConnectorRoute(FunctionKey Function, IReadOnlyList<string> Topics, string? ReplyTopic)
{
    /// <summary>
    /// The routes of every function whose <c>topic</c> annotation names a topic for <paramref name="connector"/>. Deploy
    /// refuses a reply topic that would loop back into the function or cannot be published to, but a definition made
    /// past the gateway (kubectl) can still carry one: its answers are then not published.
    /// </summary>
    public static IReadOnlyList<ConnectorRoute> For(IEnumerable<FunctionStatus> functions, string connector) =>
        [.. functions
            .Select(function => (function, topics: function.Annotations?.GetValueOrDefault(TriggerAnnotations.Topic) is { } annotation ? TriggerAnnotations.Topics(annotation, connector) : []))
            .Where(entry => entry.topics.Count > 0)
            .Select(entry => new ConnectorRoute(entry.function.Key(), entry.topics,
                TriggerAnnotations.ReplyTopicProblem(entry.function.Annotations, connector) is null ? TriggerAnnotations.ReplyTopicFor(entry.function.Annotations, connector) : null))];
}
