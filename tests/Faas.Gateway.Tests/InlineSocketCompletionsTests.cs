using Faas.Proxy;

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
        await gateway.DeployAsync("""{"service":"plain-env","image":"local","envProcess":"env"}""");
        await gateway.DeployAsync($$$"""{"service":"asking-env","image":"local","envProcess":"env","envVars":{"{{{InlineSocketCompletions.Variable}}}":"1"}}""");

        var plain = await gateway.InvokeAsync("plain-env");
        var asking = await gateway.InvokeAsync("asking-env");

        Assert.Contains("PATH=", plain);
        Assert.DoesNotContain(InlineSocketCompletions.Variable, plain);
        Assert.DoesNotContain(InlineSocketCompletions.ThreadCountVariable, plain);
        Assert.Contains(InlineSocketCompletions.Variable + "=1", asking);
    }
}
