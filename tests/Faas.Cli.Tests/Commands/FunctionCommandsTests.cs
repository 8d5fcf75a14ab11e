
namespace Faas.Cli.Tests.Commands;

[Collection(CliGatewayCollection.Name)]
public class FunctionCommandsTests(CliGatewayFixture fixture)
{
    private const string Stack = """
        version: 1.0
        provider:
          name: openfaas
        functions:
          keeper:
            lang: bash-streaming
            handler: ./keeper
            secrets: [api-key]
            environment:
              GREETING: hi
        """;

    [Fact]
    public async Task Secrets_reach_the_function_and_logs_follow_its_output()
    {
        var (directory, cli) = fixture.NewProject();
        Directory.CreateDirectory(Path.Combine(directory, "keeper"));
        await File.WriteAllTextAsync(Path.Combine(directory, "keeper", "handler.sh"), "echo \"logged $(cat)\" >&2\necho \"$GREETING $(cat $FAAS_SECRETS_DIR/api-key)\"\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "stack.yml"), Stack);

        var secret = await cli.RunAsync("secret create api-key --from-literal s3cret");
        var secrets = await cli.RunAsync("secret list");
        var up = await cli.RunAsync("up");
        var invoked = await cli.RunAsync("invoke keeper", "first");
        await using var follow = ChildProcess.Start(FaasCli.Executable, ["logs", "keeper", "--follow"], new Dictionary<string, string> { ["FAAS_URL"] = fixture.Gateway.Url, ["FAAS_CONFIG_DIR"] = fixture.ConfigDirectory });
        Assert.True(await follow.WaitForOutputAsync("logged first", TimeSpan.FromSeconds(15)), follow.Output);
        await cli.RunAsync("invoke keeper", "second");
        var followed = await follow.WaitForOutputAsync("logged second", TimeSpan.FromSeconds(15));

        Assert.True(secret.ExitCode == 0, secret.ToString());
        Assert.Equal("api-key", secrets.Stdout.Trim());
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal("hi s3cret", invoked.Stdout.Trim());
        Assert.True(followed, follow.Output);
        Assert.Contains("keeper (keeper-", follow.Output);
    }

    [Fact]
    public async Task List_describe_scale_and_remove_a_function()
    {
        var (directory, cli) = fixture.NewProject();
        await cli.RunAsync("new listed --lang bash-streaming");
        await File.AppendAllTextAsync(Path.Combine(directory, "stack.yml"), "    labels:\n      com.openfaas.scale.type: rps\n      com.openfaas.scale.target: \"5\"\n");
        await cli.RunAsync("up");
        var autoscaled = await ProcessTable.EventuallyAsync(async () => (await cli.RunAsync("describe listed")).Stdout.Contains("Last decision:"), TimeSpan.FromSeconds(10));

        var list = await cli.RunAsync("list --verbose");
        var scaled = await cli.RunAsync("scale listed --replicas 2");
        var described = await cli.RunAsync("describe listed");
        var removed = await cli.RunAsync("remove listed");
        var gone = await cli.RunAsync("describe listed");

        Assert.Matches(@"listed\s+bundle:listed@sha256:[0-9a-f]{64}\s+\d+\s+1", list.Stdout);
        Assert.True(scaled.ExitCode == 0, scaled.ToString());
        Assert.True(autoscaled, "describe never showed the autoscaler's decision");
        Assert.Contains("Scaling:            rps, target 5 per replica, 1-20 replicas", described.Stdout);
        Assert.Contains("Replicas:           2", described.Stdout);
        Assert.Contains($"URL:                {fixture.Gateway.Url}/function/listed.openfaas-fn", described.Stdout);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal("faas: describe listed: 404 Not Found: function listed not found in namespace openfaas-fn\n", gone.Stderr);
        Assert.True(Directory.Exists(Path.Combine(directory, "build", "listed")));
    }

    [Fact]
    public async Task Logs_of_a_function_that_wrote_nothing_say_so_and_each_invocation_shows_once_called()
    {
        var (_, cli) = fixture.NewProject();
        await cli.RunAsync("new quiet --lang bash-streaming");
        var up = await cli.RunAsync("up");

        var before = await cli.RunAsync("logs quiet");
        await cli.RunAsync("invoke quiet", "ping");
        var after = await ProcessTable.EventuallyAsync(async () => (await cli.RunAsync("logs quiet")).Stdout.Contains("Forking fprocess."), TimeSpan.FromSeconds(10));

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(0, before.ExitCode);
        Assert.Equal("", before.Stdout);
        Assert.Contains("no log lines for quiet: it has written nothing yet", before.Stderr);
        Assert.True(after, "the watchdog's Forking fprocess. line never reached faas logs");
    }
}
