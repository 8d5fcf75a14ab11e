using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Faas.Gateway.Tests.Invoke;

[Collection(Collection)]
public class InvocationTracingTests
{
    /// <summary>Tests that a tracer listening in this process would disturb run apart from these.</summary>
    public const string Collection = "invocation tracing";

    private const string CallerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task Traceparent_is_continued_or_created_for_the_function()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("traced", "sh -c 'echo $Http_Traceparent'");
        await gateway.WaitForAvailableAsync("traced");

        using var withContext = new HttpRequestMessage(HttpMethod.Get, gateway.Url + "/function/traced");
        withContext.Headers.Add("traceparent", $"00-{CallerTrace}-00f067aa0ba902b7-01");
        using var continued = await TestHttp.Client.SendAsync(withContext);
        var created = (await TestHttp.Client.GetStringAsync(gateway.Url + "/function/traced")).Trim();

        Assert.Equal($"00-{CallerTrace}-00f067aa0ba902b7-01\n", await continued.Content.ReadAsStringAsync());
        Assert.True(ActivityContext.TryParse(created, null, out var context), $"not a W3C traceparent: {created}");
        Assert.NotEqual(CallerTrace, context.TraceId.ToHexString());
    }

    [Fact]
    public async Task Each_invocation_is_a_span_exported_over_otlp_as_a_child_of_the_caller()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var gateway = await GatewayFixture.StartAsync(options => options.OtlpEndpoint = collector.Url);
        string received;
        try
        {
            using var _ = await gateway.DeployAsync("spanned", "sh -c 'echo $Http_Traceparent'");
            await gateway.WaitForAvailableAsync("spanned");
            using var request = new HttpRequestMessage(HttpMethod.Get, gateway.Url + "/function/spanned");
            request.Headers.Add("traceparent", $"00-{CallerTrace}-00f067aa0ba902b7-01");
            using var response = await TestHttp.Client.SendAsync(request);
            received = (await response.Content.ReadAsStringAsync()).Trim();
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        Assert.True(ActivityContext.TryParse(received, null, out var sent));
        Assert.Equal(CallerTrace, sent.TraceId.ToHexString());
        Assert.NotEqual("00f067aa0ba902b7", sent.SpanId.ToHexString());
        var export = Assert.Single(collector.Exports, body => Contains(body, "invoke spanned.openfaas-fn"u8.ToArray()));
        Assert.True(Contains(export, Convert.FromHexString(CallerTrace)), "the span is not in the caller's trace");
        Assert.True(Contains(export, Convert.FromHexString(sent.SpanId.ToHexString())), "the function did not get the span's own id");
        Assert.True(Contains(export, "faas-gateway"u8.ToArray()));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>Stands in for an OpenTelemetry collector: accepts OTLP/HTTP trace exports on loopback and keeps their protobuf bodies.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private OtlpCollector(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentQueue<byte[]> Exports { get; } = new();

        public static async Task<OtlpCollector> StartAsync()
        {
            var url = $"http://127.0.0.1:{FreePort.Next()}";
            var builder = WebApplication.CreateSlimBuilder(["--urls", url]);
            var app = builder.Build();
            var collector = new OtlpCollector(app, url);
            app.MapPost("/v1/traces", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                collector.Exports.Enqueue(body.ToArray());
                context.Response.ContentType = "application/x-protobuf";
            });
            await app.StartAsync();
            return collector;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
