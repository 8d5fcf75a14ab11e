using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Faas.Gateway.Tests.Admin;

/// <summary>faas-provider's namespace API as faas-cli uses it: a namespace made is listed while empty and survives a restart.</summary>
public class NamespaceRoutesTests
{
    [Fact]
    public async Task A_namespace_is_made_listed_while_empty_updated_and_removed_once_empty()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var url = gateway.Url + "/system/namespace/team-a";

        using var created = await gateway.Admin.PostAsync(url, GatewayFixture.Json("""{"name":"team-a","labels":{"team":"a"},"annotations":{"owner":"ops"}}"""));
        using var again = await gateway.Admin.PostAsync(url, GatewayFixture.Json("{}"));
        var listed = (await gateway.Admin.GetFromJsonAsync<string[]>(gateway.Url + "/system/namespaces"))!;
        var read = await gateway.Admin.GetFromJsonAsync<JsonElement>(url);
        using var updated = await gateway.Admin.PutAsync(url, GatewayFixture.Json("""{"labels":{"team":"b"}}"""));
        var reread = await gateway.Admin.GetFromJsonAsync<JsonElement>(url);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(["openfaas-fn", "team-a"], listed);
        Assert.Equal("a", read.GetProperty("labels").GetProperty("team").GetString());
        Assert.Equal("ops", read.GetProperty("annotations").GetProperty("owner").GetString());
        Assert.Equal(HttpStatusCode.Accepted, updated.StatusCode);
        Assert.Equal("b", reread.GetProperty("labels").GetProperty("team").GetString());

        using var deployed = await gateway.DeployAsync("worker", "cat", ""","namespace":"team-a" """);
        using var busy = await gateway.Admin.DeleteAsync(url);
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Contains("still has functions", await busy.Content.ReadAsStringAsync());

        await gateway.RestartAsync();
        Assert.Equal("b", (await gateway.Admin.GetFromJsonAsync<JsonElement>(url)).GetProperty("labels").GetProperty("team").GetString());
        using var removedFunction = await gateway.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, gateway.Url + "/system/functions")
        {
            Content = GatewayFixture.Json("""{"functionName":"worker","namespace":"team-a"}"""),
        });
        using var removed = await gateway.Admin.DeleteAsync(url);
        using var gone = await gateway.Admin.GetAsync(url);

        Assert.Equal(HttpStatusCode.Accepted, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(["openfaas-fn"], (await gateway.Admin.GetFromJsonAsync<string[]>(gateway.Url + "/system/namespaces"))!);
    }

    [Fact]
    public async Task Bad_names_and_the_default_namespace_are_refused()
    {
        await using var gateway = await GatewayFixture.StartAsync();

        using var badName = await gateway.Admin.PostAsync(gateway.Url + "/system/namespace/Team_A", GatewayFixture.Json("{}"));
        using var mismatch = await gateway.Admin.PostAsync(gateway.Url + "/system/namespace/one", GatewayFixture.Json("""{"name":"two"}"""));
        using var defaultDelete = await gateway.Admin.DeleteAsync(gateway.Url + "/system/namespace/openfaas-fn");
        using var unknown = await gateway.Admin.DeleteAsync(gateway.Url + "/system/namespace/nowhere");
        using var anonymous = await TestHttp.Client.PostAsync(gateway.Url + "/system/namespace/sneaky", GatewayFixture.Json("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("namespace \"Team_A\"", await badName.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, defaultDelete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
