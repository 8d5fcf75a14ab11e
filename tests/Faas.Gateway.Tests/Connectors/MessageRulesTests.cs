using Faas.Gateway.Connectors;

namespace Faas.Gateway.Tests.Connectors;

/// <summary>How a message's headers become request headers, and which bound pattern a routing key matched.</summary>
public sealed class MessageRulesTests
{
    [Fact]
    public void Message_headers_become_X_headers_and_forged_or_malformed_ones_are_left_out()
    {
        var headers = MessageHeaders.ToRequestHeaders(
        [
            new("Tenant", "acme"), new("X-Trace", "t-1"), new("X-Topic", "forged"), new("X-Faas-Internal-Token", "forged"),
            new("bad name", "v"), new("Split", "a\r\nX-Evil: 1"), new("X-Call-Id", "forged"),
        ]).ToList();

        Assert.Equal([new("X-Tenant", "acme"), new("X-Trace", "t-1")], headers);
    }

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
        Assert.Equal(matches, TopicPatterns.AmqpMatches(pattern, routingKey));
}
