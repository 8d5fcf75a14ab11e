
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
    public async Task A_csharp_function_builds_native_by_default_and_for_the_jit_when_its_build_args_say_so()
    {
        var (directory, cli) = fixture.NewProject();
        await cli.RunAsync("new native --lang csharp");
        await cli.RunAsync("new jitted --lang csharp");
        var stack = Path.Combine(directory, "stack.yml");
        File.WriteAllText(stack, File.ReadAllText(stack).Replace("    image: jitted:latest\n", "    image: jitted:latest\n    build_args:\n      FUNCTION_AOT: \"false\"\n", StringComparison.Ordinal));

        var up = await cli.RunAsync("up");
        var native = await cli.RunAsync("invoke native", "aot");
        var jitted = await cli.RunAsync("invoke jitted", "jit");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal("Hello from C#, aot!", native.Stdout.Trim());
        Assert.Equal("Hello from C#, jit!", jitted.Stdout.Trim());
        Assert.False(File.Exists(Path.Combine(directory, "build", "native", "app", "Function.dll")), "the default build is not native");
        Assert.True(File.Exists(Path.Combine(directory, "build", "jitted", "app", "Function.dll")), "FUNCTION_AOT=false did not build for the JIT");

        // Neither watches its working directory (ASP.NET's default reload of appsettings*.json would).
        var replicas = ProcessTable.DescendantsOf(fixture.Gateway.Pid).Select(pid => (Pid: pid, Executable: ProcessTable.Executable(pid) ?? "")).ToList();
        var functions = replicas.Where(replica => replica.Executable.EndsWith("/Function", StringComparison.Ordinal)).Select(replica => replica.Pid).ToList();
        Assert.True(functions.Count == 2, string.Join("\n", replicas));
        Assert.All(functions, pid => Assert.Equal(0, ProcessTable.InotifyWatches(pid)));
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
