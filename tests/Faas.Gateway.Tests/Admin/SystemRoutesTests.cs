using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Faas.Gateway.Tests.Admin;

public class SystemRoutesTests
{
    [Fact]
    public async Task Deploy_list_status_scale_and_delete_speak_the_openfaas_api()
    {
        await using var gateway = await GatewayFixture.StartAsync();

        using var deployed = await gateway.DeployAsync("echo", "cat", ""","labels":{"team":"a"}""");
        await gateway.WaitForAvailableAsync("echo");
        var list = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/functions");
        using var scaled = await gateway.Admin.PostAsync(gateway.Url + "/system/scale-function/echo", GatewayFixture.Json("""{"serviceName":"echo","replicas":2}"""));
        await gateway.WaitForAvailableAsync("echo", 2);
        using var deleted = await gateway.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, gateway.Url + "/system/functions") { Content = GatewayFixture.Json("""{"functionName":"echo"}""") });
        using var gone = await gateway.Admin.GetAsync(gateway.Url + "/system/function/echo");

        Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
        var function = Assert.Single(list.EnumerateArray());
        Assert.Equal("echo", function.GetProperty("name").GetString());
        Assert.Equal("local", function.GetProperty("image").GetString());
        Assert.Equal("openfaas-fn", function.GetProperty("namespace").GetString());
        Assert.Equal("a", function.GetProperty("labels").GetProperty("team").GetString());
        Assert.Equal(1, function.GetProperty("replicas").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, scaled.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("function echo not found", await gone.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_requests_get_the_right_status_and_a_message_naming_the_problem()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var first = await gateway.DeployAsync("dup", "cat");

        using var duplicate = await gateway.DeployAsync("dup", "cat");
        using var badName = await gateway.DeployAsync("Bad_Name", "cat");
        using var badJson = await gateway.Admin.PostAsync(gateway.Url + "/system/functions", GatewayFixture.Json("{\"service\": "));
        using var missingUpdate = await gateway.Admin.PutAsync(gateway.Url + "/system/functions", GatewayFixture.Json("""{"service":"nope","image":"local","envProcess":"cat"}"""));
        using var badTail = await gateway.Admin.GetAsync(gateway.Url + "/system/logs?name=dup&tail=many");

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("service \"Bad_Name\"", await badName.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Contains("invalid JSON body", await badJson.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missingUpdate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badTail.StatusCode);
        Assert.Contains("invalid tail", await badTail.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scaling_above_a_functions_maximum_is_refused_and_changes_nothing()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var bounded = await gateway.DeployAsync("bounded", "cat", ""","labels":{"com.openfaas.scale.max":"3"}""");
        using var unbounded = await gateway.DeployAsync("unbounded", "cat");

        using var aboveLabel = await gateway.Admin.PostAsync(gateway.Url + "/system/scale-function/bounded", GatewayFixture.Json("""{"serviceName":"bounded","replicas":4}"""));
        using var aboveDefault = await gateway.Admin.PostAsync(gateway.Url + "/system/scale-function/unbounded", GatewayFixture.Json("""{"serviceName":"unbounded","replicas":1000}"""));
        using var atLabel = await gateway.Admin.PostAsync(gateway.Url + "/system/scale-function/bounded", GatewayFixture.Json("""{"serviceName":"bounded","replicas":3}"""));

        Assert.Equal(HttpStatusCode.BadRequest, aboveLabel.StatusCode);
        Assert.Equal("replicas 4 is above the maximum of 3 for bounded (com.openfaas.scale.max)\n", await aboveLabel.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, aboveDefault.StatusCode);
        Assert.Contains("above the maximum of 20", await aboveDefault.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, atLabel.StatusCode);
        var status = await gateway.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>(gateway.Url + "/system/function/unbounded");
        Assert.Equal(1, status.GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task Secrets_are_created_listed_without_values_and_deleted()
    {
        await using var gateway = await GatewayFixture.StartAsync();

        using var created = await gateway.Admin.PostAsync(gateway.Url + "/system/secrets", GatewayFixture.Json("""{"name":"db-password","value":"hunter2"}"""));
        var listed = await gateway.Admin.GetStringAsync(gateway.Url + "/system/secrets");
        using var deleted = await gateway.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, gateway.Url + "/system/secrets") { Content = GatewayFixture.Json("""{"name":"db-password"}""") });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("""[{"name":"db-password","namespace":"openfaas-fn"}]""", listed);
        Assert.DoesNotContain("hunter2", listed);
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
    }

    [Fact]
    public async Task Info_namespaces_and_healthz_answer()
    {
        await using var gateway = await GatewayFixture.StartAsync();

        var info = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/info");
        var namespaces = await gateway.Admin.GetStringAsync(gateway.Url + "/system/namespaces");
        var health = await TestHttp.Client.GetStringAsync(gateway.Url + "/healthz");

        Assert.Equal("faas-local", info.GetProperty("provider").GetProperty("provider").GetString());
        Assert.Equal("local", info.GetProperty("provider").GetProperty("orchestration").GetString());
        Assert.True(info.TryGetProperty("arch", out _));
        var commit = GitCommit();
        Assert.Equal(commit, info.GetProperty("version").GetProperty("sha").GetString());
        Assert.Equal(commit, info.GetProperty("provider").GetProperty("version").GetProperty("sha").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+$", info.GetProperty("version").GetProperty("release").GetString());
        Assert.NotEqual("1.0.0", info.GetProperty("version").GetProperty("release").GetString());
        Assert.Equal("""["openfaas-fn"]""", namespaces);
        Assert.Equal("OK\n", health);
    }

    [Fact]
    public async Task Invocation_counts_come_from_the_gateways_metrics()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("counted", "cat");
        await gateway.WaitForAvailableAsync("counted");

        for (var i = 0; i < 3; i++)
        {
            using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/counted", new StringContent("x"));
        }

        var one = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/function/counted");
        var all = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/functions");

        Assert.Equal(3, one.GetProperty("invocationCount").GetDouble());
        Assert.Equal(3, all[0].GetProperty("invocationCount").GetDouble());
    }

    [Fact]
    public async Task One_name_in_two_namespaces_is_two_functions()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var a = await gateway.DeployAsync("same", "echo default");
        using var b = await gateway.DeployAsync("same", "echo team", ",\"namespace\":\"team-a\"");
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        await gateway.WaitForAvailableAsync("same");

        var inTeam = await gateway.Admin.GetFromJsonAsync<JsonElement>(gateway.Url + "/system/functions?namespace=team-a");
        var namespaces = await gateway.Admin.GetStringAsync(gateway.Url + "/system/namespaces");
        var fromDefault = await TestHttp.Client.GetStringAsync(gateway.Url + "/function/same");
        var fromTeam = await TestHttp.Client.GetStringAsync(gateway.Url + "/function/same.team-a");

        Assert.Equal("team-a", Assert.Single(inTeam.EnumerateArray()).GetProperty("namespace").GetString());
        Assert.Equal("""["openfaas-fn","team-a"]""", namespaces);
        Assert.Equal("default\n", fromDefault);
        Assert.Equal("team\n", fromTeam);
    }

    [Fact]
    public async Task Logs_stream_as_newline_delimited_json()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("talker", "sh -c 'echo said-something >&2; echo ok'");
        await gateway.WaitForAvailableAsync("talker");
        using var __ = await TestHttp.Client.PostAsync(gateway.Url + "/function/talker", new StringContent(""));

        string logs = "";
        // Waited for up to the watchdog's closing "Wrote N Bytes" line: its log comes in batches, a few ms behind.
        Assert.True(await ProcessTable.EventuallyAsync(async () => (logs = await gateway.Admin.GetStringAsync(gateway.Url + "/system/logs?name=talker")).Contains("said-something") && logs.Contains("Wrote "), TimeSpan.FromSeconds(10)));

        var line = logs.Split('\n').First(l => l.Contains("said-something"));
        var message = JsonDocument.Parse(line).RootElement;
        Assert.Equal("talker", message.GetProperty("name").GetString());
        Assert.Equal("openfaas-fn", message.GetProperty("namespace").GetString());
        Assert.StartsWith("talker-", message.GetProperty("instance").GetString());
        Assert.EndsWith("Z", message.GetProperty("timestamp").GetString());

        // As faas-cli asks: tail=-1 (its default) and 0 mean every line; since may come without tail.
        var everything = await gateway.Admin.GetStringAsync(gateway.Url + "/system/logs?name=talker&tail=-1");
        var zero = await gateway.Admin.GetStringAsync(gateway.Url + "/system/logs?name=talker&tail=0");
        var since = await gateway.Admin.GetStringAsync(gateway.Url + "/system/logs?name=talker&since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));
        var future = await gateway.Admin.GetStringAsync(gateway.Url + "/system/logs?name=talker&since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("said-something", everything);
        Assert.Equal(everything, zero);
        Assert.Contains("said-something", since);
        Assert.DoesNotContain("said-something", future);
    }

    /// <summary>The commit the tests (and so the gateway beside them) were built from, as git reports it.</summary>
    private static string GitCommit()
    {
        var info = new System.Diagnostics.ProcessStartInfo("git", "rev-parse HEAD") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true };
        using var git = System.Diagnostics.Process.Start(info)!;
        var sha = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return sha;
    }

    [Fact]
    public async Task A_container_image_on_the_local_backend_is_a_400_saying_where_images_run()
    {
        await using var gateway = await GatewayFixture.StartAsync();

        using var refused = await gateway.Admin.PostAsync(gateway.Url + "/system/functions",
            GatewayFixture.Json("""{"service":"figlet","image":"ghcr.io/openfaas/figlet:latest","envProcess":"figlet"}"""));
        var message = await refused.Content.ReadAsStringAsync();
        using var listed = await gateway.Admin.GetAsync(gateway.Url + "/system/functions");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("\"ghcr.io/openfaas/figlet:latest\" is a container image", message);
        Assert.Contains("docker and kubernetes backends", message);
        Assert.Equal("[]", await listed.Content.ReadAsStringAsync());
    }
}
