using Faas.Provider.Triggers;

namespace Faas.Provider.Tests.Triggers;

public sealed class TriggerAnnotationsTests
{
    [Fact]
    public void Unprefixed_topics_go_to_every_connector_and_prefixed_ones_to_theirs_only()
    {
        const string annotation = "orders.created, mqtt:sensors/+/temp, rabbitmq:jobs.#, nats:audit.>";

        Assert.Equal(["orders.created", "audit.>"], TriggerAnnotations.Topics(annotation, TriggerAnnotations.Nats));
        Assert.Equal(["orders.created", "jobs.#"], TriggerAnnotations.Topics(annotation, TriggerAnnotations.RabbitMq));
        Assert.Equal(["orders.created", "sensors/+/temp"], TriggerAnnotations.Topics(annotation, TriggerAnnotations.Mqtt));
    }

    [Fact]
    public void A_connectors_own_reply_topic_wins_over_the_unprefixed_one()
    {
        var annotations = new Dictionary<string, string> { ["reply-topic"] = "answers, mqtt:answers/mqtt" };

        Assert.Equal("answers/mqtt", TriggerAnnotations.ReplyTopicFor(annotations, TriggerAnnotations.Mqtt));
        Assert.Equal("answers", TriggerAnnotations.ReplyTopicFor(annotations, TriggerAnnotations.RabbitMq));
        Assert.Null(TriggerAnnotations.ReplyTopicFor(new Dictionary<string, string>(), TriggerAnnotations.Nats));
    }

    [Theory]
    [InlineData("topic", "mqtt:sensors/a+/temp", "'+' or '#' only as a whole level")]
    [InlineData("topic", "mqtt:sensors/#/temp", "'#' only as the last")]
    [InlineData("topic", "sensors/#/temp", "'#' only as the last")]
    [InlineData("topic", "orders,,payments", "comma-separated, non-empty")]
    [InlineData("reply-topic", "mqtt:replies ok", "without white space")]
    public void A_topic_the_broker_would_refuse_is_named_with_the_rule(string annotation, string value, string rule)
    {
        var problem = TriggerAnnotations.Check(new Dictionary<string, string> { [annotation] = value });

        Assert.NotNull(problem);
        Assert.StartsWith($"annotation {annotation}: ", problem);
        Assert.Contains(rule, problem);
    }

    [Fact]
    public void A_topic_over_255_bytes_is_refused_and_filters_with_whole_level_wildcards_pass()
    {
        Assert.Contains("at most 255 bytes", TriggerAnnotations.Check(new Dictionary<string, string> { ["topic"] = new string('a', 256) }));
        Assert.Null(TriggerAnnotations.Check(new Dictionary<string, string> { ["topic"] = "mqtt:sensors/+/temp, mqtt:#, rabbitmq:a.*.b, orders.*" }));
    }
}
