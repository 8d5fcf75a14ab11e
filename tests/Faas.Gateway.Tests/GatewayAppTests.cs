using System.Net.Http.Json;
using System.Text.Json;

namespace Faas.Gateway.Tests;

public class GatewayAppTests
{
    [Fact]
    public async Task Functions_and_secrets_survive_a_restart_of_the_gateway()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var secret = await gateway.Admin.PostAsync(gateway.Url + "/system/secrets", GatewayFixture.Json("""{"name":"token","value":"kept"}"""));
        using var deployed = await gateway.DeployAsync("keeper", "sh -c 'cat $FAAS_SECRETS_DIR/token'", ""","secrets":["token"]""");
        await gateway.WaitForAvailableAsync("keeper");

        await gateway.RestartAsync();
        await gateway.WaitForAvailableAsync("keeper");
        var functions = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/functions");

        Assert.Equal("keeper", Assert.Single(functions.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("kept", await TestHttp.Client.GetStringAsync(gateway.Url + "/function/keeper"));
    }

    [Fact]
    public async Task The_gateway_does_not_watch_the_directory_it_was_started_in()
    {
        using var project = new TempDirectory("faas-project-");
        Directory.CreateDirectory(Path.Combine(project.Path, "functions", "hello"));
        await using var gateway = await GatewayProcess.StartAsync(workingDirectory: project.Path);

        Assert.Equal(0, ProcessTable.InotifyWatches(gateway.Pid));
    }

    [Fact]
    public async Task A_gateway_started_with_SIGINT_ignored_still_stops_its_replicas_at_once()
    {
        // A script's "gateway &" starts it with SIGINT ignored, and its replicas inherit that; the SIGINT that tells
        // them to drain without waiting must still reach them, or each stop waits out the grace (a minute here).
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Gateway__Local__StopGrace"] = "00:01:00" }, interruptIgnored: true);
        await gateway.DeployAsync("""{"service":"echo","image":"local","envProcess":"cat"}""");
        Assert.Equal("", await gateway.InvokeAsync("echo"));
        var replicas = ProcessTable.DescendantsOf(gateway.Pid);

        var (exited, exitCode) = await gateway.StopAsync(TimeSpan.FromSeconds(20));

        Assert.True(exited, $"the gateway was still stopping after 20 s: its replicas missed the SIGINT\n{gateway.Output}");
        Assert.Equal(0, exitCode);
        Assert.NotEmpty(replicas);
        Assert.DoesNotContain(replicas, ProcessTable.IsAlive);
    }
}
