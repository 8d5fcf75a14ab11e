using System.Text;
using Faas.Proxy.Upstream;

namespace Faas.Proxy.Tests.Upstream;

public sealed class RequestHeadWriterTests
{
    [Theory]
    [InlineData("127.0.0.1", 8080, "Host: 127.0.0.1:8080")]
    [InlineData("echo.openfaas-fn.svc.cluster.local", 8080, "Host: echo.openfaas-fn.svc.cluster.local:8080")]
    [InlineData("2001:db8::10", 8080, "Host: [2001:db8::10]:8080")]
    [InlineData("[::1]", 31112, "Host: [::1]:31112")]
    public void The_host_header_brackets_an_ipv6_address(string host, int port, string expected)
    {
        using var head = new RequestHeadWriter();

        head.HostHeader(host, port);

        Assert.Equal(expected + "\r\n", Encoding.Latin1.GetString(head.Written.Span));
    }
}
