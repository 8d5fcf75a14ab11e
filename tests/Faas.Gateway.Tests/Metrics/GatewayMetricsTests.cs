
namespace Faas.Gateway.Tests.Metrics;

public class GatewayMetricsTests
{
    /// <summary>
    /// Two OpenFaaS metric names break Prometheus' naming lint (a counter without <c>_total</c>, a gauge ending in
    /// <c>_count</c>); dashboards depend on them, so exactly these two findings are expected. Anything else fails.
    /// </summary>
    private static readonly string[] KnownOpenFaasLints =
    [
        "gateway_function_invocation_started counter metrics should have \"_total\" suffix",
        "gateway_service_count non-histogram and non-summary metrics should not have \"_count\" suffix",
    ];

    [Fact]
    public async Task Invocations_are_counted_per_function_and_code_and_the_exposition_is_valid()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("counted", "cat");
        await gateway.WaitForAvailableAsync("counted");
        for (var i = 0; i < 3; i++)
        {
            using var __ = await TestHttp.Client.PostAsync(gateway.Url + "/function/counted", new StringContent("x"));
        }

        using var unknown = await TestHttp.Client.PostAsync(gateway.Url + "/function/random-name", new StringContent(""));
        var text = await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics");

        Assert.Contains("gateway_function_invocation_total{function_name=\"counted.openfaas-fn\",code=\"200\"} 3\n", text);
        Assert.Contains("gateway_function_invocation_started{function_name=\"counted.openfaas-fn\"} 3\n", text);
        Assert.Contains("gateway_functions_seconds_count{function_name=\"counted.openfaas-fn\",code=\"200\"} 3\n", text);
        Assert.Contains("gateway_service_count{function_name=\"counted.openfaas-fn\"} 1\n", text);
        Assert.Contains("gateway_function_invocation_inflight{function_name=\"counted.openfaas-fn\"} 0\n", text);
        Assert.DoesNotContain("random-name", text);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        var problems = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !KnownOpenFaasLints.Contains(line)).ToList();
        Assert.True(problems.Count == 0, $"promtool exit {exitCode}: {output}");
    }
}
