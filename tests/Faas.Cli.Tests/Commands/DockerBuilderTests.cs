using Faas.Testing;
using System.Net.Http.Json;
using System.Text.Json;

namespace Faas.Cli.Tests.Commands;

[Collection(CliDockerCollection.Name)]
public sealed class DockerBuilderTests(CliDockerFixture fixture)
{
    [DockerTheory]
    [InlineData("bash-streaming", "Hello from bash! You said: images")]
    [InlineData("python3-http", "Hello from Python, images!")]
    [InlineData("node-http", "Hello from Node, images!")]
    [InlineData("csharp", "Hello from C#, images!")]
    public async Task Every_template_builds_offline_pushes_to_the_registry_and_answers_from_a_container(string lang, string expected)
    {
        var (directory, cli) = fixture.NewProject();
        var name = "img-" + lang.Split('-')[0];
        await cli.RunAsync($"new {name} --lang {lang}");
        SetImage(directory, name, $"{fixture.Registry}/{name}:1");

        var up = await cli.RunAsync("up --builder docker --offline", timeout: TimeSpan.FromMinutes(6));
        var invoked = await cli.RunAsync($"invoke {name}", "images");
        using var http = new HttpClient();
        var tags = await http.GetFromJsonAsync<JsonElement>($"http://{fixture.Registry}/v2/{name}/tags/list");
        var containers = await fixture.Engine.ContainersWithAsync($"com.faas.function={name}");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains($"[{name}] Successfully tagged {fixture.Registry}/{name}:1", up.Stdout);
        Assert.Contains($"[{name}] pushed {fixture.Registry}/{name}:1", up.Stdout);
        Assert.True(invoked.ExitCode == 0, invoked.ToString());
        Assert.Equal(expected, invoked.Stdout.Trim());
        Assert.Equal("1", tags.GetProperty("tags")[0].GetString());
        Assert.Equal($"{fixture.Registry}/{name}:1", Assert.Single(containers).Image);
    }

    [DockerFact]
    public async Task The_dockerfile_template_builds_the_functions_own_dockerfile()
    {
        var (directory, cli) = fixture.NewProject();
        await cli.RunAsync("new boxed --lang dockerfile");
        SetImage(directory, "boxed", "faas-test/boxed:1");

        var up = await cli.RunAsync("up --builder docker --offline --skip-push", timeout: TimeSpan.FromMinutes(4));
        var invoked = await cli.RunAsync("invoke boxed", "echoed by cat");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal("echoed by cat", invoked.Stdout);
    }

    [DockerFact]
    public async Task A_failed_build_exits_1_naming_the_failing_step()
    {
        var (directory, cli) = fixture.NewProject();
        await cli.RunAsync("new broken --lang dockerfile");
        SetImage(directory, "broken", "faas-test/broken:1");
        await File.WriteAllTextAsync(Path.Combine(directory, "broken", "Dockerfile"), "FROM faas/watchdog:latest\nRUN echo compiling && exit 3\n");

        var build = await cli.RunAsync("build --builder docker");

        Assert.Equal(1, build.ExitCode);
        Assert.Contains("[broken] compiling", build.Stdout);
        Assert.Contains("[broken] failed: broken: image build failed at Step 2/2 : RUN echo compiling && exit 3:", build.Stderr);
        Assert.Contains("returned a non-zero code: 3", build.Stderr);
    }

    [DockerFact]
    public async Task A_push_to_a_registry_that_is_not_there_exits_1_naming_the_image()
    {
        var (directory, cli) = fixture.NewProject();
        await cli.RunAsync("new lost --lang dockerfile");
        await File.WriteAllTextAsync(Path.Combine(directory, "lost", "Dockerfile"), "FROM faas/watchdog:latest\n");
        SetImage(directory, "lost", $"127.0.0.1:{FreePort.Next()}/lost:1");

        var build = await cli.RunAsync("build --builder docker");
        var push = await cli.RunAsync("push --builder docker");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Equal(1, push.ExitCode);
        Assert.Contains("[lost] failed: lost: push of 127.0.0.1:", push.Stderr);
        Assert.Contains("connection refused", push.Stderr);
    }

    private static void SetImage(string directory, string name, string image)
    {
        var stack = Path.Combine(directory, "stack.yml");
        File.WriteAllText(stack, File.ReadAllText(stack).Replace($"image: {name}:latest", $"image: {image}"));
    }
}
