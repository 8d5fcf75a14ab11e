using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Faas.Gateway.Tests.Invoke;

public class ScaleFromZeroTests
{
    private const string AtZero = ""","labels":{"com.openfaas.scale.min":"0"}""";

    [Fact]
    public async Task Fifty_concurrent_requests_at_zero_share_one_scale_up_and_all_succeed()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("lazy", "cat", AtZero);
        Assert.Equal(0, (await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/function/lazy")).GetProperty("replicas").GetInt32());

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/lazy", new StringContent($"request {i}"));
            return (i, response.StatusCode, Body: await response.Content.ReadAsStringAsync(), ColdStart: response.Headers.TryGetValues("X-Cold-Start-Seconds", out var waited) ? waited.Single() : null);
        }));
        using var warm = await TestHttp.Client.PostAsync(gateway.Url + "/function/lazy", new StringContent("warm"));
        var status = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/function/lazy");
        var metrics = await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics");

        Assert.All(responses, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal($"request {r.i}", r.Body);
        });
        Assert.Contains(responses, r => r.ColdStart is not null && double.Parse(r.ColdStart, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.False(warm.Headers.Contains("X-Cold-Start-Seconds"));
        Assert.Equal(1, status.GetProperty("replicas").GetInt32());
        Assert.Contains("gateway_scale_from_zero_total{function_name=\"lazy.openfaas-fn\"} 1\n", metrics);
        var coldStarts = responses.Count(r => r.ColdStart is not null);
        Assert.Contains($"gateway_cold_start_seconds_count{{function_name=\"lazy.openfaas-fn\"}} {coldStarts}\n", metrics);
    }

    [Fact]
    public async Task A_function_that_never_gets_ready_is_503_with_retry_after()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.ScaleFromZeroTimeout = TimeSpan.FromSeconds(1));
        using var _ = await gateway.DeployAsync("stuck", "sleep 60", ""","envVars":{"mode":"http"}""" + AtZero);

        using var response = await TestHttp.Client.GetAsync(gateway.Url + "/function/stuck");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no ready replicas of stuck.openfaas-fn within 1s\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task With_scale_from_zero_off_a_function_at_zero_is_503_at_once()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.ScaleFromZero = false);
        using var _ = await gateway.DeployAsync("sleepy", "cat", AtZero);

        using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/sleepy", new StringContent(""));
        var status = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/function/sleepy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no ready replicas of sleepy.openfaas-fn\n", await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, status.GetProperty("replicas").GetInt32());
    }
}
