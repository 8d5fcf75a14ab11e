using Faas.Provider.Triggers;

namespace Faas.Provider.Tests.Triggers;

public sealed class TopicMatchTests
{
    [Theory]
    [InlineData("orders.*", "orders.created", true)]
    [InlineData("orders.*", "orders.created.eu", false)]
    [InlineData("orders.#", "orders", true)]
    [InlineData("orders.#", "orders.created.eu", true)]
    [InlineData("#.eu", "orders.created.eu", true)]
    [InlineData("*.created", "orders.paid", false)]
    [InlineData("orders", "orders", true)]
    [InlineData("#", "", true)]
    [InlineData("#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.x", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.y.z", false)]
    public void Amqp_topic_patterns_match_as_a_topic_exchange_routes(string pattern, string routingKey, bool matches) =>
        Assert.Equal(matches, TopicMatch.Amqp(pattern, routingKey));

    [Theory]
    [InlineData("orders.*", "orders.created", true)]
    [InlineData("orders.*", "orders", false)]
    [InlineData("orders.*", "orders.created.eu", false)]
    [InlineData("orders.>", "orders.created.eu", true)]
    [InlineData("orders.>", "orders", false)]
    [InlineData(">", "orders", true)]
    [InlineData("*.created", "orders.created", true)]
    [InlineData("orders", "orders.created", false)]
    [InlineData("orders.created", "orders.created", true)]
    public void Nats_subjects_match_token_by_token(string filter, string subject, bool matches) =>
        Assert.Equal(matches, TopicMatch.Nats(filter, subject));

    [Theory]
    [InlineData("sensors/+/temp", "sensors/kitchen/temp", true)]
    [InlineData("sensors/+/temp", "sensors/temp", false)]
    [InlineData("sensors/#", "sensors", true)]
    [InlineData("sensors/#", "sensors/kitchen/temp", true)]
    [InlineData("#", "sensors/kitchen", true)]
    [InlineData("#", "$SYS/broker/uptime", false)]
    [InlineData("+/broker", "$SYS/broker", false)]
    [InlineData("$SYS/#", "$SYS/broker", true)]
    [InlineData("sensors/kitchen", "sensors/kitchen/temp", false)]
    public void Mqtt_topics_match_level_by_level_and_wildcards_leave_dollar_topics_alone(string filter, string topic, bool matches) =>
        Assert.Equal(matches, TopicMatch.Mqtt(filter, topic));

    [Theory]
    [InlineData(TriggerAnnotations.Nats, "answers.*", false)]
    [InlineData(TriggerAnnotations.Nats, "answers.>", false)]
    [InlineData(TriggerAnnotations.Nats, "answers*.done", true)]
    [InlineData(TriggerAnnotations.Mqtt, "answers/+", false)]
    [InlineData(TriggerAnnotations.Mqtt, "answers/done", true)]
    [InlineData(TriggerAnnotations.RabbitMq, "answers.*", true)]
    public void Wildcards_are_filters_not_topics_to_publish_to_on_nats_and_mqtt(string connector, string topic, bool publishable) =>
        Assert.Equal(publishable, TopicMatch.IsPublishable(connector, topic));
}
