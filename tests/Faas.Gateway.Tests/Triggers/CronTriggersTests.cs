using Faas.Gateway.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Faas.Gateway.Tests.Triggers;

public class CronTriggersTests
{
    [Fact]
    public async Task Functions_whose_schedule_is_due_are_invoked_through_the_gateway()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        // Schedules due at the chosen minute (12:34 on a leap day) and not now, so the real clock never fires them meanwhile.
        using var a = await gateway.DeployAsync("leap-day", "sh -c 'echo $Http_X_Connector $Http_Method >&2'", ""","annotations":{"schedule":"34 12 29 2 *"}""");
        using var b = await gateway.DeployAsync("new-year", "sh -c 'echo fired >&2'", ""","annotations":{"schedule":"0 0 1 1 *"}""");
        using var c = await gateway.DeployAsync("lazy-leap", "sh -c 'echo fired >&2'", ""","annotations":{"schedule":"*/17 12 29 2 *"},"labels":{"com.openfaas.scale.min":"0"}""");
        await gateway.WaitForAvailableAsync("leap-day");
        var cron = gateway.Services.GetRequiredService<CronTriggers>();

        await cron.FireDueAsync(new DateTime(2028, 2, 29, 12, 34, 0, DateTimeKind.Utc), CancellationToken.None);
        var metrics = await TestHttp.Client.GetStringAsync(gateway.Url + "/metrics");

        Assert.True(await ProcessTable.EventuallyAsync(async () => (await gateway.LogLinesAsync("lazy-leap")).Contains("fired"), TimeSpan.FromSeconds(10)), "lazy-leap did not run");
        Assert.Single(await gateway.LogLinesAsync("leap-day"), line => line == "cron POST");
        Assert.DoesNotContain("fired", await gateway.LogLinesAsync("new-year"));
        Assert.Contains("gateway_trigger_invocation_total{function_name=\"leap-day.openfaas-fn\",trigger=\"cron\",code=\"200\"} 1", metrics);
        Assert.Contains("gateway_scale_from_zero_total{function_name=\"lazy-leap.openfaas-fn\"} 1", metrics);
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
