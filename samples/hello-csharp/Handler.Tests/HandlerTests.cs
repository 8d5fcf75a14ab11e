using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

public class HandlerTests
{
    [Fact]
    public async Task Greets_the_caller()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("tests"));
        var response = new MemoryStream();
        context.Response.Body = response;

        var result = await Handler.HandleAsync(context);
        await result.ExecuteAsync(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Contains("tests", Encoding.UTF8.GetString(response.ToArray()));
    }
}
