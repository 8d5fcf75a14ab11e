using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Faas.Proxy;
using Faas.Testing;

namespace Faas.Gateway.Tests;

/// <summary>
/// The gateway binary turns inline socket completions on for itself, on half the cores; its replicas' functions (whose
/// code may block) inherit neither setting unless their own environment asks.
/// </summary>
public class InlineSocketCompletionsTests
{
    [Fact]
    public async Task Functions_do_not_inherit_the_gateways_inline_socket_completions_unless_they_ask()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + GatewayProcess.AdminPassword)));
        await DeployAsync(admin, gateway, """{"service":"plain-env","image":"local","envProcess":"env"}""");
        await DeployAsync(admin, gateway, $$$"""{"service":"asking-env","image":"local","envProcess":"env","envVars":{"{{{InlineSocketCompletions.Variable}}}":"1"}}""");

        var plain = await InvokeAsync(gateway, "plain-env");
        var asking = await InvokeAsync(gateway, "asking-env");

        Assert.Contains("PATH=", plain);
        Assert.DoesNotContain(InlineSocketCompletions.Variable, plain);
        Assert.DoesNotContain(InlineSocketCompletions.ThreadCountVariable, plain);
        Assert.Contains(InlineSocketCompletions.Variable + "=1", asking);
    }

    private static async Task DeployAsync(HttpClient admin, GatewayProcess gateway, string definition)
    {
        using var deployed = await admin.PostAsync(gateway.Url + "/system/functions", new StringContent(definition, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, deployed.StatusCode);
    }

    private static async Task<string> InvokeAsync(GatewayProcess gateway, string function)
    {
        using var response = await TestHttp.Client.PostAsync(gateway.Url + "/function/" + function, new StringContent(""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}\n{gateway.Output}");
        return body;
    }
}
