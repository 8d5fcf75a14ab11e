
namespace Faas.Cli.Tests.Commands;

[Collection(CliGatewayCollection.Name)]
public class TemplateEndToEndTests(CliGatewayFixture fixture)
{
    [Theory]
    [InlineData("bash-streaming", "Hello from bash! You said: tests")]
    [InlineData("python3-http", "Hello from Python, tests!")]
    [InlineData("node-http", "Hello from Node, tests!")]
    [InlineData("csharp", "Hello from C#, tests!")]
    public async Task New_then_up_then_invoke_answers_with_the_handler(string lang, string expected)
    {
        var (directory, cli) = fixture.NewProject();
        var name = "hello-" + lang.Split('-')[0];

        var created = await cli.RunAsync($"new {name} --lang {lang}");
        var up = await cli.RunAsync("up");
        var invoked = await cli.RunAsync($"invoke {name}", "tests");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(File.Exists(Path.Combine(directory, "stack.yml")));
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains($"[{name}] deployed: {fixture.Gateway.Url}/function/{name}", up.Stdout);
        Assert.True(invoked.ExitCode == 0, invoked.ToString());
        Assert.Equal(expected, invoked.Stdout.Trim());
    }

    [Fact]
    public async Task The_csharp_handler_comes_with_tests_that_pass()
    {
        var (directory, cli) = fixture.NewProject();
        await cli.RunAsync("new tested --lang csharp");

        await using var test = ChildProcess.Start("dotnet", ["test", "tested/Handler.Tests", "--nologo"], workingDirectory: directory);
        var finished = await test.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(finished && test.ExitCode == 0, test.Output);
        Assert.Contains("Passed!", test.Output);
    }

    [Fact]
    public async Task The_dockerfile_template_says_it_needs_a_container_backend()
    {
        var (_, cli) = fixture.NewProject();

        await cli.RunAsync("new boxed --lang dockerfile");
        var build = await cli.RunAsync("build");

        Assert.Equal(1, build.ExitCode);
        Assert.Contains("the dockerfile template builds container images, and the local backend runs bundles", build.Stderr);
    }
}
