using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Faas.Gateway.Tests.Invoke;

public class InvokeRouteTests
{
    [Fact]
    public async Task Invocation_reaches_the_function_with_path_query_and_call_headers()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("whoami", "sh -c 'echo $Http_Method $Http_Path $Http_Query $Http_X_Call_Id; cat'");
        await gateway.WaitForAvailableAsync("whoami");

        using var request = new HttpRequestMessage(HttpMethod.Put, gateway.Url + "/function/whoami.openfaas-fn/sub/path?a=1&b=2") { Content = new StringContent("body") };
        request.Headers.Add("X-Call-Id", "call-123");
        using var response = await TestHttp.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PUT /sub/path a=1&b=2 call-123\nbody", await response.Content.ReadAsStringAsync());
        Assert.Equal("call-123", response.Headers.GetValues("X-Call-Id").Single());
        Assert.True(response.Headers.Contains("X-Duration-Seconds"));
        Assert.True(response.Headers.Contains("X-Start-Time"));
    }

    /// <summary>A file name in Latin-1, as Python's http.server sends it: Kestrel's default (ASCII only) failed the response with a 500.</summary>
    [Fact]
    public async Task A_function_header_value_beyond_ASCII_reaches_the_caller_byte_for_byte()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployHttpAsync("files");
        await gateway.WaitForAvailableAsync("files");
        using var connection = await RawHttpConnection.ConnectAsync(new Uri(gateway.Url).Port);

        await connection.SendAsync("GET /function/files/download HTTP/1.1\r\nHost: gateway\r\n\r\n");
        var answer = await connection.ReadResponseAsync();

        Assert.Equal((200, "attachment; filename=\"caf\u00e9.txt\"", "ok"), (answer.StatusCode, answer.Header("Content-Disposition"), answer.Body));
    }

    [Fact]
    public async Task Unknown_function_is_404_naming_it()
    {
        await using var gateway = await GatewayFixture.StartAsync();

        using var unknown = await TestHttp.Client.PostAsync(gateway.Url + "/function/nobody", new StringContent(""));
        using var otherNamespace = await TestHttp.Client.GetAsync(gateway.Url + "/function/nobody.elsewhere");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("function nobody not found", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, otherNamespace.StatusCode);
    }

    [Fact]
    public async Task A_slow_function_is_a_504_naming_it()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("slow", "sleep 30");
        await gateway.WaitForAvailableAsync("slow");

        using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/slow", new StringContent(""));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("slow.openfaas-fn timed out after 5s", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_function_timeout_is_bounded_by_the_gateway_and_sent_to_the_watchdog()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var a = await gateway.DeployAsync("patient", "sh -c 'echo $Http_X_Timeout'", ""","annotations":{"faas.timeout":"2m"}""");
        using var b = await gateway.DeployAsync("labelled", "sh -c 'echo $Http_X_Timeout'", ""","labels":{"faas.timeout":"1.5s"}""");
        using var c = await gateway.DeployAsync("sleeper", "sleep 30", ""","annotations":{"faas.timeout":"1s"}""");
        using var invalid = await gateway.DeployAsync("confused", "cat", ""","annotations":{"faas.timeout":"soon"}""");
        await gateway.WaitForAvailableAsync("patient");
        await gateway.WaitForAvailableAsync("labelled");
        await gateway.WaitForAvailableAsync("sleeper");

        var bounded = await TestHttp.Client.GetStringAsync(gateway.Url + "/function/patient");
        var labelled = await TestHttp.Client.GetStringAsync(gateway.Url + "/function/labelled");
        using var asked = new HttpRequestMessage(HttpMethod.Get, gateway.Url + "/function/patient");
        asked.Headers.Add("X-Timeout", "3s");
        using var askedResponse = await TestHttp.Client.SendAsync(asked);
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var cutOff = await TestHttp.Client.GetAsync(gateway.Url + "/function/sleeper");
        var waited = started.Elapsed;

        Assert.Equal("5s\n", bounded);
        Assert.Equal("1.5s\n", labelled);
        Assert.Equal("3s\n", await askedResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.GatewayTimeout, cutOff.StatusCode);
        Assert.Contains("sleeper.openfaas-fn timed out after 1s", await cutOff.Content.ReadAsStringAsync());
        Assert.True(waited < TimeSpan.FromSeconds(4), $"the 1s function took {waited} to time out");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("faas.timeout must be a duration", await invalid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_X_Timeout_that_is_not_a_duration_is_400_naming_the_header()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var deployed = await gateway.DeployAsync("timed", "cat");
        await gateway.WaitForAvailableAsync("timed");
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/function/timed") { Content = new StringContent("x") };
        request.Headers.Add("X-Timeout", "whenever");

        using var response = await TestHttp.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("X-Timeout \"whenever\" is not a positive duration", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_whether_declared_or_chunked()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.MaxRequestBodySize = 4096);
        using var _ = await gateway.DeployHttpAsync("counter");
        await gateway.WaitForAvailableAsync("counter");

        using var declared = await TestHttp.Client.PostAsync(gateway.Url + "/function/counter/size", new ByteArrayContent(new byte[8192]));
        // Small enough to be sent whole before the answer: a body still being written when the gateway answers and
        // closes (as HTTP/1.1 lets it) can fail the client's write instead of showing the 413.
        using var chunked = await TestHttp.Client.PostAsync(gateway.Url + "/function/counter/size", new StreamContent(UnknownLengthStream.Pattern(16 * 1024)));
        using var small = await TestHttp.Client.PostAsync(gateway.Url + "/function/counter/size", new StreamContent(UnknownLengthStream.Pattern(4000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal("the request body for counter.openfaas-fn is over the limit of 4096 bytes\n", await declared.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal("4000", await small.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_uploaded_bundle_deploys_and_answers()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, content) in new[] { ("faas-bundle.json", """{"fprocess":"sh run.sh"}"""), ("run.sh", "echo bundled") })
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }

        using var uploaded = await gateway.Admin.PostAsync(gateway.Url + "/system/bundles/packed", new ByteArrayContent(archive.ToArray()));
        var image = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("image").GetString()!;
        using var deployed = await gateway.Admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json($$"""{"service":"packed","image":"{{image}}"}"""));
        await gateway.WaitForAvailableAsync("packed");
        using var garbage = await gateway.Admin.PostAsync(gateway.Url + "/system/bundles/junk", new StringContent("not an archive"));

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.StartsWith("bundle:packed@sha256:", image);
        Assert.Equal("bundled\n", await TestHttp.Client.GetStringAsync(gateway.Url + "/function/packed"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("not a gzipped tar", await garbage.Content.ReadAsStringAsync());
    }
}
