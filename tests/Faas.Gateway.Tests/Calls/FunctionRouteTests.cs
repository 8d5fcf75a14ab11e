using Faas.Gateway.Tests.Async;

namespace Faas.Gateway.Tests.Calls;

/// <summary>
/// A client that takes the gateway for a proxy sends absolute-form targets (<c>http://host/function/NAME/path</c>),
/// which a server must accept (RFC 9112, 3.2.2): the function is called with the same path and query as in origin form.
/// </summary>
public class FunctionRouteTests
{
    [Fact]
    public async Task An_absolute_form_target_reaches_the_function_with_its_path_and_query_called_or_queued()
    {
        await using var callback = await CallbackReceiver.StartAsync();
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("whereami", "sh -c 'echo $Http_Method $Http_Path $Http_Query; cat'");
        await gateway.WaitForAvailableAsync("whereami");
        var origin = new Uri(gateway.Url);
        using var connection = await RawHttpConnection.ConnectAsync(origin.Port);

        await connection.SendAsync($"POST http://{origin.Authority}/function/whereami/sub/path?a=1&b=2 HTTP/1.1\r\nHost: {origin.Authority}\r\nContent-Length: 4\r\n\r\nbody");
        var called = await connection.ReadResponseAsync();
        await connection.SendAsync($"POST http://{origin.Authority}/async-function/whereami/queued?c=3 HTTP/1.1\r\nHost: {origin.Authority}\r\n"
            + $"X-Callback-Url: {callback.Url}/done\r\nContent-Length: 5\r\n\r\nlater");
        var queued = await connection.ReadResponseAsync();
        var calledBack = await callback.WaitForAsync(1, TimeSpan.FromSeconds(30));

        Assert.Equal((200, "POST /sub/path a=1&b=2\nbody"), (called.StatusCode, called.Body));
        Assert.Equal(202, queued.StatusCode);
        Assert.True(calledBack, "the queued call was not called back");
        Assert.Equal("POST /queued c=3\nlater", Assert.Single(callback.Received).Body);
    }
}
