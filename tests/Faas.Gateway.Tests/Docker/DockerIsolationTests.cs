using System.Globalization;
using System.Text;
using Faas.Testing;

namespace Faas.Gateway.Tests.Docker;

/// <summary>On the Docker backend too, a function finds nothing of the gateway and no other function's secrets.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class DockerIsolationTests(DockerEngineFixture docker)
{
    [DockerFact]
    public async Task A_container_function_sees_its_own_secret_and_nothing_of_the_gateway_or_other_functions()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Gateway__Provider"] = "docker",
            ["Gateway__Docker__Socket"] = docker.Socket,
            ["FAAS_NATS_URL"] = "",
        });
        using var admin = GatewayProcess.AdminClient();
        foreach (var (name, value) in new[] { ("mine", "my-secret-value"), ("theirs", "their-secret-value") })
        {
            using var created = await admin.PostAsync(gateway.Url + "/system/secrets", new StringContent($$"""{"name":"{{name}}","value":"{{value}}"}""", Encoding.UTF8, "application/json"));
            Assert.True(created.IsSuccessStatusCode, $"secret {name}: {(int)created.StatusCode}");
        }

        var suffix = Guid.NewGuid().ToString("N")[..6];
        var other = "holder-" + suffix;
        var prober = "prober-" + suffix;
        await gateway.DeployAsync($$"""{"service":"{{other}}","image":"{{BaseImages.Watchdog}}","envProcess":"cat","secrets":["theirs"]}""");
        var state = gateway.StateDirectory;
        var probe = string.Join("; ",
            "env",
            "echo mounted: $(ls /var/openfaas/secrets)",
            "cat /var/openfaas/secrets/mine",
            $"cat {state}/admin-password",
            $"ls -R {state}",
            $"cat /proc/{gateway.Pid.ToString(CultureInfo.InvariantCulture)}/environ",
            "cat /var/openfaas/secrets/theirs",
            $"wget -q -T 2 -O - {gateway.Url}/healthz || echo gateway unreachable",
            "echo done");
        await gateway.DeployAsync($$"""{"service":"{{prober}}","image":"{{BaseImages.Watchdog}}","envProcess":"sh -c '{{probe}}'","secrets":["mine"]}""");

        var output = await gateway.InvokeAsync(prober);

        Assert.EndsWith("done\n", output);
        Assert.Contains($"FAAS_FUNCTION_NAME={prober}", output);
        Assert.Contains("mounted: mine\n", output);
        Assert.Contains("my-secret-value", output);
        Assert.Contains("gateway unreachable", output);
        Assert.DoesNotContain("their-secret-value", output);
        Assert.DoesNotContain(GatewayProcess.AdminPassword, output);
        Assert.DoesNotContain("FAAS_ADMIN_PASSWORD", output);
        Assert.DoesNotContain("FAAS_STATE_DIR", output);
        Assert.DoesNotContain("Gateway__", output);
        Assert.DoesNotContain("admin-password", output.Replace($"cat {state}/admin-password", "", StringComparison.Ordinal));
    }
}
