
namespace Faas.Cli.Tests.Building;

/// <summary>The commands of a template's build, run by faas itself.</summary>
public sealed class BuildStepsTests : IDisposable
{
    private readonly TempDirectory _work = new("faas-build-steps-");

    [Fact]
    public async Task A_build_command_starts_with_SIGPIPE_at_its_default_action()
    {
        // .NET ignores SIGPIPE, and an ignored signal passes through exec: yes would then fail on its broken pipe
        // (exit 1, "Broken pipe") instead of ending by the signal (128 + 13), as it does when a shell runs the build.
        var template = _work.Combine("templates", "pipes");
        Directory.CreateDirectory(Path.Combine(template, "function"));
        await File.WriteAllTextAsync(Path.Combine(template, "function", "handler.sh"), "cat\n");
        await File.WriteAllTextAsync(Path.Combine(template, "template.yml"), """
            language: pipes
            fprocess: sh function/handler.sh
            local:
              mode: streaming
              fprocess: sh function/handler.sh
              requires: [sh]
              build:
                - '{ (yes 2>/dev/null; echo "yes ended with $?" >&2) | head -n 1 >/dev/null; } 2>&1'
            """);
        var project = Directory.CreateDirectory(_work.Combine("project")).FullName;
        var cli = new FaasCli("http://127.0.0.1:9", project, _work.Combine("config"),
            new Dictionary<string, string> { ["FAAS_TEMPLATES"] = _work.Combine("templates"), ["XDG_CACHE_HOME"] = _work.Combine("cache") });

        var created = await cli.RunAsync("new probe --lang pipes");
        var built = await cli.RunAsync("build");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.Contains("yes ended with 141", built.Stdout);
    }

    public void Dispose() => _work.Dispose();
}
