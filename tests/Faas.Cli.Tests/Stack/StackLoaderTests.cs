using Faas.Cli.Stack;

namespace Faas.Cli.Tests.Stack;

public class StackLoaderTests
{
    private static StackFile Load(TempDirectory directory, string yaml, Func<string, string?>? environment = null)
    {
        var path = directory.Combine("stack.yml");
        File.WriteAllText(path, yaml);
        return StackLoader.Load(path, environment ?? (_ => null));
    }

    [Fact]
    public void Reads_the_openfaas_schema_with_substitution_and_environment_files()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.Combine("fn"));
        File.WriteAllText(directory.Combine("env.yml"), "environment:\n  FROM_FILE: yes\n  BOTH: file\n");

        var stack = Load(directory, """
            version: 1.0
            provider:
              name: openfaas
              gateway: ${GATEWAY:-http://127.0.0.1:8080}
            functions:
              fn:
                lang: bash-streaming
                handler: ./fn
                image: ${REGISTRY}/fn:latest
                environment:
                  BOTH: inline
                environment_file:
                  - env.yml
                secrets: [api-key]
                labels:
                  com.openfaas.scale.min: "0"
                limits:
                  memory: 128Mi
                readonly_root_filesystem: true
                build_args:
                  VERSION: "2"
            """, name => name == "REGISTRY" ? "registry.local" : null);

        var fn = stack.Functions["fn"];
        Assert.Equal("http://127.0.0.1:8080", stack.Provider.Gateway);
        Assert.Equal("registry.local/fn:latest", fn.Image);
        Assert.Equal("inline", fn.Environment["BOTH"]);
        Assert.Equal("yes", fn.Environment["FROM_FILE"]);
        Assert.Equal(["api-key"], fn.Secrets);
        Assert.Equal("128Mi", fn.Limits!.Memory);
        Assert.True(fn.ReadonlyRootFilesystem);
        Assert.Equal("2", fn.BuildArgs["VERSION"]);
    }

    [Fact]
    public void An_unknown_field_is_an_error_naming_file_line_and_column()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.Combine("fn"));

        var error = Assert.Throws<CliException>(() => Load(directory, "version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  fn:\n    lang: bash-streaming\n    handler: ./fn\n    read_timeout: 10s\n"));

        Assert.Equal(CliException.Usage, error.ExitCode);
        Assert.Equal($"{directory.Combine("stack.yml")}:8:5: unknown field 'read_timeout'", error.Message);
    }

    [Theory]
    [InlineData("version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  fn:\n    lang: bash-streaming\n    handler: ./missing\n", "the handler directory of fn (./missing) does not exist")]
    [InlineData("version: 2.0\nprovider:\n  name: openfaas\n", "version must be \"1.0\"")]
    [InlineData("version: 1.0\nprovider:\n  name: lambda\n", "provider.name must be \"openfaas\"")]
    [InlineData("version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  Bad_Name:\n    image: x\n", "function name \"Bad_Name\"")]
    [InlineData("version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  fn:\n    lang: bash-streaming\n", "needs both lang and handler")]
    [InlineData("version: 1.0\nfunctions: [\n", "stack.yml:")]
    public void Bad_stacks_are_usage_errors_naming_the_problem(string yaml, string expected)
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<CliException>(() => Load(directory, yaml));

        Assert.Equal(CliException.Usage, error.ExitCode);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("    environment: [a, b]\n", "stack.yml:8:18: functions.fn.environment: expected a mapping of names to values, got a list")]
    [InlineData("    labels: 5\n", "stack.yml:8:13: functions.fn.labels: expected a mapping of names to values, got \"5\"")]
    [InlineData("    secrets: {a: b}\n", "stack.yml:8:14: functions.fn.secrets: expected a list, got a mapping")]
    [InlineData("    readonly_root_filesystem: maybe\n", "stack.yml:8:31: functions.fn.readonly_root_filesystem: expected true or false, got \"maybe\"")]
    [InlineData("    limits:\n      memory: [1]\n", "stack.yml:9:15: functions.fn.limits.memory: expected a single value, got a list")]
    public void A_value_of_the_wrong_kind_names_the_field_and_what_it_must_be(string field, string expected)
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.Combine("fn"));

        var error = Assert.Throws<CliException>(() => Load(directory, "version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  fn:\n    lang: bash-streaming\n    handler: ./fn\n" + field));

        Assert.Equal(CliException.Usage, error.ExitCode);
        Assert.EndsWith(expected, error.Message);
        Assert.DoesNotContain("System.", error.Message);
    }
}
