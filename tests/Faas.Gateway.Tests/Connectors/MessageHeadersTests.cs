using Faas.Gateway.Connectors;

namespace Faas.Gateway.Tests.Connectors;

/// <summary>How a message's headers become request headers.</summary>
public sealed class MessageHeadersTests
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
}
