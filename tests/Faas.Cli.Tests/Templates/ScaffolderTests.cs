using Faas.Cli.Stack;
using Faas.Cli.Templates;

namespace Faas.Cli.Tests.Templates;

public class ScaffolderTests
{
    [Fact]
    public void New_functions_join_an_existing_stack_keeping_its_comments_and_indentation()
    {
        using var directory = new TempDirectory();
        var stackPath = directory.Combine("stack.yml");
        File.WriteAllText(stackPath, "# my functions\nversion: 1.0\nprovider:\n  name: openfaas\nfunctions:\n    existing:\n        image: example/existing:1\n");
        var template = TemplateCatalog.Load(null).Get("bash-streaming");

        Scaffolder.Create("added", template, stackPath);
        var stack = StackLoader.Load(stackPath);

        Assert.StartsWith("# my functions\n", File.ReadAllText(stackPath));
        Assert.Equal(["added", "existing"], stack.Functions.Keys.Order());
        Assert.Equal("bash-streaming", stack.Functions["added"].Lang);
        Assert.True(File.Exists(directory.Combine("added", "handler.sh")));
        Assert.Equal(CliException.Usage, Assert.Throws<CliException>(() => Scaffolder.Create("added", template, stackPath)).ExitCode);
    }
}
