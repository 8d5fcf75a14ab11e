using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Faas.Testing;

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

    [Fact]
    public async Task Unknown_function_is_404_and_one_at_zero_replicas_is_503()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("sleepy", "cat", ""","labels":{"com.openfaas.scale.min":"0"}""");

        using var unknown = await TestHttp.Client.PostAsync(gateway.Url + "/function/nobody", new StringContent(""));
        using var idle = await TestHttp.Client.PostAsync(gateway.Url + "/function/sleepy", new StringContent(""));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("function nobody not found", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, idle.StatusCode);
        Assert.Contains("no ready replicas of sleepy.openfaas-fn", await idle.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_slow_function_is_a_504_naming_it()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("slow", "sleep 30");
        await gateway.WaitForAvailableAsync("slow");

        using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/slow", new StringContent(""));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("slow.openfaas-fn did not answer within 5s", await response.Content.ReadAsStringAsync());
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
