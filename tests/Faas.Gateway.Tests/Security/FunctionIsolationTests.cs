using System.Globalization;
using Faas.Testing;

namespace Faas.Gateway.Tests.Security;

/// <summary>The gateway's credentials and settings never reach a function, whoever invokes it.</summary>
public class FunctionIsolationTests
{
    [Fact]
    public async Task An_env_function_invoked_without_credentials_finds_nothing_of_the_gateway()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["FAAS_NATS_URL"] = "" });
        await gateway.DeployAsync("""{"service":"printenv","image":"local","envProcess":"env"}""");

        var environment = await gateway.InvokeAsync("printenv");

        Assert.Contains("FAAS_FUNCTION_NAME=printenv", environment);
        Assert.DoesNotContain(GatewayProcess.AdminPassword, environment);
        Assert.DoesNotContain("FAAS_ADMIN_PASSWORD", environment);
        Assert.DoesNotContain("FAAS_STATE_DIR", environment);
        Assert.DoesNotContain(gateway.StateDirectory, environment);
        Assert.DoesNotContain("Gateway__", environment);
    }

    [Fact]
    public async Task A_descriptor_the_gateway_inherited_does_not_reach_a_function()
    {
        using var temp = new TempDirectory("faas-inherited-");
        var secret = temp.Combine("parent-secret");
        await File.WriteAllTextAsync(secret, "the parent's secret");
        await using var gateway = await GatewayProcess.StartAsync(inheritedFile: secret);
        // Its own descriptors, and the watchdog's, which shares its sandbox and user: where each leads.
        var probe = "sh -c 'ls -l /proc/self/fd/ /proc/$PPID/fd/; echo done'";
        await gateway.DeployAsync($$"""{"service":"descriptors","image":"local","envProcess":"{{probe}}"}""");

        var output = await gateway.InvokeAsync("descriptors");

        Assert.EndsWith("done\n", output);
        Assert.DoesNotContain("parent-secret", output);
    }

    [SandboxFact]
    public async Task A_function_cannot_read_the_gateways_password_file_or_process()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var passwordFile = Path.Combine(gateway.StateDirectory, "admin-password");
        await File.WriteAllTextAsync(passwordFile, "generated-secret");
        var probe = $"sh -c 'cat {passwordFile}; cat /proc/{gateway.Pid.ToString(CultureInfo.InvariantCulture)}/environ; ls {gateway.StateDirectory}; echo done'";
        await gateway.DeployAsync($$"""{"service":"prober","image":"local","envProcess":"{{probe}}"}""");

        var output = await gateway.InvokeAsync("prober");

        Assert.EndsWith("done\n", output);
        Assert.DoesNotContain("generated-secret", output);
        Assert.DoesNotContain(GatewayProcess.AdminPassword, output);
        Assert.DoesNotContain("admin-password", output);
    }
}
