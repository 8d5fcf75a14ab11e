using Faas.Testing;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Faas.Cli.Tests.Commands;

/// <summary><c>faas store deploy</c> against a gateway on the Docker backend, which runs images, not bundles.</summary>
[Collection(CliDockerCollection.Name)]
public sealed class StoreOnDockerTests(CliDockerFixture fixture)
{
    [DockerFact]
    public async Task Store_functions_are_built_as_images_for_a_docker_gateway_kept_in_its_engine_or_pushed_to_a_named_registry()
    {
        var (_, cli) = fixture.NewProject();

        var local = await cli.RunAsync("store deploy sha512sum --offline", timeout: TimeSpan.FromMinutes(4));
        var digest = await cli.RunAsync("invoke sha512sum", "hash me");
        var pushed = await cli.RunAsync($"store deploy echo --name store-echo --offline --image {fixture.Registry}/store-echo:1", timeout: TimeSpan.FromMinutes(4));
        var echoed = await cli.RunAsync("invoke store-echo", "from the registry");
        using var http = new HttpClient();
        var tags = await http.GetFromJsonAsync<JsonElement>($"http://{fixture.Registry}/v2/store-echo/tags/list");

        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Contains("Deployed sha512sum from the store (faas-store/sha512sum:latest)", local.Stdout);
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes("hash me"))), digest.Stdout.Trim());
        Assert.Equal("faas-store/sha512sum:latest", Assert.Single(await fixture.Engine.ContainersWithAsync("com.faas.function=sha512sum")).Image);
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.Equal("from the registry", echoed.Stdout);
        Assert.Equal("1", tags.GetProperty("tags")[0].GetString());
        await cli.RunAsync("remove sha512sum");
        await cli.RunAsync("remove store-echo");
    }
}
