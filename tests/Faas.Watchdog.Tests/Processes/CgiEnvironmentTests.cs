using Faas.Watchdog.Processes;
using Microsoft.AspNetCore.Http;

namespace Faas.Watchdog.Tests.Processes;

public class CgiEnvironmentTests
{
    [Theory]
    [InlineData("content-type", "Content_Type")]
    [InlineData("X-CALL-ID", "X_Call_Id")]
    [InlineData("accept", "Accept")]
    public void Header_names_take_go_canonical_form_with_underscores(string header, string expected) =>
        Assert.Equal(expected, CgiEnvironment.CanonicalName(header));

    [Fact]
    public void Request_metadata_becomes_http_variables()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "PUT";
        context.Request.Path = "/a/b";
        context.Request.QueryString = new QueryString("?x=1&y=2");
        context.Request.Headers["x-custom"] = "value";

        var variables = CgiEnvironment.For(context.Request).ToDictionary();

        Assert.Equal("PUT", variables["Http_Method"]);
        Assert.Equal("/a/b", variables["Http_Path"]);
        Assert.Equal("x=1&y=2", variables["Http_Query"]);
        Assert.Equal("value", variables["Http_X_Custom"]);
    }
}
