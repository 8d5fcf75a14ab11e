using Faas.Gateway.Triggers;
using Faas.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Faas.Gateway.Tests.Triggers;

public class CronTriggersTests
{
    [Fact]
    public async Task Functions_whose_schedule_is_due_are_invoked_through_the_gateway()
    {
        using var marks = new TempDirectory();
        await using var gateway = await GatewayFixture.StartAsync();
        using var a = await gateway.DeployAsync("every-minute", $"sh -c 'echo $Http_X_Connector $Http_Method >> {marks.Path}/every-minute'", ""","annotations":{"schedule":"* * * * *"}""");
        using var b = await gateway.DeployAsync("new-year", $"sh -c 'echo fired >> {marks.Path}/new-year'", ""","annotations":{"schedule":"0 0 1 1 *"}""");
        using var c = await gateway.DeployAsync("lazy-quarter", $"sh -c 'echo fired >> {marks.Path}/lazy-quarter'", ""","annotations":{"schedule":"*/15 * * * *"},"labels":{"com.openfaas.scale.min":"0"}""");
        await gateway.WaitForAvailableAsync("every-minute");
        var cron = gateway.Services.GetRequiredService<CronTriggers>();

        await cron.FireDueAsync(new DateTime(2026, 11, 22, 10, 15, 0, DateTimeKind.Utc), CancellationToken.None);
        var metrics = await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics");

        Assert.Equal("cron POST\n", await File.ReadAllTextAsync(marks.Combine("every-minute")));
        Assert.Equal("fired\n", await File.ReadAllTextAsync(marks.Combine("lazy-quarter")));
        Assert.False(File.Exists(marks.Combine("new-year")));
        Assert.Contains("gateway_trigger_invocation_total{function_name=\"every-minute.openfaas-fn\",trigger=\"cron\",code=\"200\"} 1", metrics);
        Assert.Contains("gateway_scale_from_zero_total{function_name=\"lazy-quarter.openfaas-fn\"} 1", metrics);
    }

    [Fact]
    public async Task A_bad_schedule_is_refused_at_deploy()
    {
        await using var gateway = await GatewayFixture.StartAsync();

        using var response = await gateway.DeployAsync("broken", "cat", ""","annotations":{"schedule":"every morning"}""");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("annotation schedule: schedule \"every morning\" needs 5 fields", await response.Content.ReadAsStringAsync());
    }
}
