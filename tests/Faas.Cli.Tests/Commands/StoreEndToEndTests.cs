using System.Security.Cryptography;
using System.Text;

namespace Faas.Cli.Tests.Commands;

[Collection(CliGatewayCollection.Name)]
public class StoreEndToEndTests(CliGatewayFixture fixture)
{
    [Fact]
    public async Task Store_functions_are_listed_built_from_source_and_deployed()
    {
        var (_, cli) = fixture.NewProject();

        var listed = await cli.RunAsync("store list");
        var deployed = await cli.RunAsync("store deploy sha512sum");
        var digest = await cli.RunAsync("invoke sha512sum", "hash me");
        var pretty = await cli.RunAsync("store deploy json-pretty --name pretty");
        var formatted = await cli.RunAsync("invoke pretty", """{"b":1,"a":true}""");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        foreach (var name in new[] { "env", "echo", "sha512sum", "base64", "wordcount", "json-pretty", "markdown" })
        {
            Assert.Contains(name, listed.Stdout);
        }

        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes("hash me"))), digest.Stdout.Trim());
        Assert.True(pretty.ExitCode == 0, pretty.ToString());
        Assert.Equal("{\n  \"a\": true,\n  \"b\": 1\n}\n", formatted.Stdout);
    }

    [Fact]
    public async Task A_deploy_name_that_is_not_a_function_name_exits_2_before_anything_is_built()
    {
        var (_, cli) = fixture.NewProject();

        var refused = await cli.RunAsync("store deploy echo --name ../escape");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--name", refused.Stderr);
        Assert.DoesNotContain("[../escape]", refused.Stdout);
    }
}
