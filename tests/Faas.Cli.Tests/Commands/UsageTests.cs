
namespace Faas.Cli.Tests.Commands;

[Collection(CliGatewayCollection.Name)]
public class UsageTests(CliGatewayFixture fixture)
{
    [Fact]
    public async Task Unknown_flags_and_bad_stack_files_exit_2_with_one_clear_line()
    {
        var (directory, cli) = fixture.NewProject();
        await File.WriteAllTextAsync(Path.Combine(directory, "bad.yml"), "version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  fn:\n    image: x\n    replicas: 3\n");

        var unknownFlag = await cli.RunAsync("list --colour");
        var badStack = await cli.RunAsync("deploy -f bad.yml");
        var noStack = await cli.RunAsync("up");
        var badQuery = await cli.RunAsync("invoke fn --query novalue");
        var badBuilder = await cli.RunAsync("build --builder kaniko");

        Assert.Equal(2, unknownFlag.ExitCode);
        Assert.Contains("Unrecognized command or argument '--colour'", unknownFlag.Stderr);
        Assert.Equal(2, badStack.ExitCode);
        Assert.Equal("faas: bad.yml:7:5: unknown field 'replicas'\n", badStack.Stderr);
        Assert.Equal(2, noStack.ExitCode);
        Assert.Contains("no stack file", noStack.Stderr);
        Assert.Equal(2, badQuery.ExitCode);
        Assert.DoesNotContain("   at ", badQuery.Stderr);
        Assert.Equal(2, badBuilder.ExitCode);
        Assert.Equal("faas: unknown builder 'kaniko': available are bundle, docker\n", badBuilder.Stderr);
    }

    [Fact]
    public async Task An_empty_secret_from_stdin_is_refused_unless_asked_for()
    {
        var (_, cli) = fixture.NewProject();

        var empty = await cli.RunAsync("secret create blank-one", stdin: "");
        var listed = await cli.RunAsync("secret list");
        var allowed = await cli.RunAsync("secret create blank-two --allow-empty", stdin: "");

        Assert.Equal(2, empty.ExitCode);
        Assert.Equal("faas: the value for secret blank-one is empty: pass --allow-empty if that is what you mean\n", empty.Stderr);
        Assert.DoesNotContain("blank-one", listed.Stdout);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        await cli.RunAsync("secret remove blank-two");
    }

    [Fact]
    public async Task The_gateway_comes_from_the_flag_then_faas_url_then_openfaas_url_then_the_stack()
    {
        var (directory, _) = fixture.NewProject();
        await File.WriteAllTextAsync(Path.Combine(directory, "stack.yml"), "version: 1.0\nprovider:\n  name: openfaas\n  gateway: http://127.0.0.1:4\n");
        var cli = new FaasCli("", directory, fixture.ConfigDirectory);
        async Task<string> GatewayUsedAsync(string arguments, Dictionary<string, string> environment)
        {
            var version = await cli.RunAsync(arguments, environment: environment);
            return System.Text.RegularExpressions.Regex.Match(version.Stdout, @"cannot reach the gateway at (http://[0-9.]+:[0-9]+)").Groups[1].Value;
        }

        Assert.Equal("http://127.0.0.1:1", await GatewayUsedAsync("version --gateway http://127.0.0.1:1", new() { ["FAAS_URL"] = "http://127.0.0.1:2", ["OPENFAAS_URL"] = "http://127.0.0.1:3" }));
        Assert.Equal("http://127.0.0.1:2", await GatewayUsedAsync("version", new() { ["FAAS_URL"] = "http://127.0.0.1:2", ["OPENFAAS_URL"] = "http://127.0.0.1:3" }));
        Assert.Equal("http://127.0.0.1:3", await GatewayUsedAsync("version", new() { ["FAAS_URL"] = "", ["OPENFAAS_URL"] = "http://127.0.0.1:3" }));
        Assert.Equal("http://127.0.0.1:4", await GatewayUsedAsync("version", new() { ["FAAS_URL"] = "" }));
    }

    [Fact]
    public async Task Login_is_saved_privately_and_a_wrong_password_is_refused()
    {
        using var config = new TempDirectory();
        var cli = new FaasCli(fixture.Gateway.Url, config.Path, config.Path);

        var wrong = await cli.RunAsync("login --password-stdin", "not-it");
        var savedAfterWrong = File.Exists(Path.Combine(config.Path, "credentials.json"));
        var right = await cli.RunAsync("login -u admin --password-stdin", GatewayProcess.AdminPassword);
        var listed = await cli.RunAsync("list");
        var version = await cli.RunAsync("version");
        var unreachable = await cli.RunAsync("list --gateway http://127.0.0.1:1");

        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("unauthorized", wrong.Stderr);
        Assert.False(savedAfterWrong, "a refused password was saved");
        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(config.Path, "credentials.json")));
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains("faas CLI: ", version.Stdout);
        Assert.Contains("provider faas-local (local)", version.Stdout);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.StartsWith("faas: cannot reach the gateway at http://127.0.0.1:1", unreachable.Stderr);
    }
}
