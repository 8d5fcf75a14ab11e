using Faas.Gateway.Connectors;
using Faas.Provider.Triggers;
using Faas.Provider.Wire;

namespace Faas.Gateway.Tests.Connectors;

public sealed class ConnectorRouteTests
{
    [Fact]
    public void A_reply_topic_that_loops_back_into_the_function_is_not_published_to_even_when_deploy_was_bypassed()
    {
        FunctionStatus[] functions =
        [
            new() { Name = "looping", Image = "i", Annotations = new() { ["topic"] = "chat.*", ["reply-topic"] = "chat.echo" } },
            new() { Name = "answering", Image = "i", Annotations = new() { ["topic"] = "chat.*", ["reply-topic"] = "answers.chat" } },
        ];

        var routes = ConnectorRoute.For(functions, TriggerAnnotations.Nats);

        Assert.Equal([("looping", null), ("answering", "answers.chat")], routes.Select(route => (route.Function.Name, route.ReplyTopic)));
        Assert.All(routes, route => Assert.Equal(["chat.*"], route.Topics));
    }
}
