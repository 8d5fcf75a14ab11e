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

    [Theory]
    [InlineData("orders.created", "orders.created", "\"orders.created\" is matched by the function's own topic \"orders.created\" on nats")]
    [InlineData("orders.*", "orders.done", "\"orders.done\" is matched by the function's own topic \"orders.*\" on nats")]
    [InlineData("mqtt:sensors/#", "mqtt:sensors/answers", "\"sensors/answers\" is matched by the function's own topic \"sensors/#\" on mqtt")]
    [InlineData("rabbitmq:jobs.#", "jobs.done", "\"jobs.done\" is matched by the function's own topic \"jobs.#\" on rabbitmq")]
    [InlineData("orders", "answers.*", "nats publishes answers to \"answers.*\", and a topic published to has no wildcards")]
    public void A_reply_topic_that_would_invoke_the_function_again_or_that_cannot_be_published_to_is_refused(string topics, string replyTopic, string problem) =>
        Assert.Equal("annotation reply-topic: " + problem + (problem.Contains("matched", StringComparison.Ordinal) ? ": every answer would invoke the function again" : ""),
            TriggerAnnotations.Check(new Dictionary<string, string> { ["topic"] = topics, ["reply-topic"] = replyTopic }));

    [Fact]
    public void A_reply_topic_another_connector_subscribes_to_is_no_loop()
    {
        // The function listens to "jobs.done" on RabbitMQ only; NATS and MQTT publish there without invoking it.
        Assert.Null(TriggerAnnotations.Check(new Dictionary<string, string> { ["topic"] = "rabbitmq:jobs.*", ["reply-topic"] = "nats:jobs.done, mqtt:jobs/done, rabbitmq:answers" }));
        Assert.Null(TriggerAnnotations.Check(new Dictionary<string, string> { ["topic"] = "orders.created", ["reply-topic"] = "orders.answered" }));
    }
}
