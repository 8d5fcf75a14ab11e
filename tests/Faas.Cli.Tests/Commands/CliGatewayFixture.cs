
namespace Faas.Cli.Tests.Commands;

/// <summary>
/// One real gateway (the built binary, local backend, real watchdogs) for the CLI's end-to-end tests, and a
/// <c>faas</c> that is logged in to it. Each test works in a directory of its own (<see cref="NewProject"/>).
/// </summary>
public sealed class CliGatewayFixture : IAsyncLifetime
{
    private readonly TempDirectory _config = new("faas-cli-config-");
    private readonly List<TempDirectory> _projects = [];

    public GatewayProcess Gateway { get; private set; } = null!;

    public string ConfigDirectory => _config.Path;

    public async Task InitializeAsync()
    {
        Gateway = await GatewayProcess.StartAsync();
        var login = await Cli(_config.Path).RunAsync("login --username admin --password-stdin", GatewayProcess.AdminPassword);
        Assert.True(login.ExitCode == 0, login.ToString());
    }

    public FaasCli Cli(string workingDirectory) => new(Gateway.Url, workingDirectory, _config.Path);

    /// <summary>A fresh working directory and a <c>faas</c> running in it.</summary>
    public (string Directory, FaasCli Cli) NewProject()
    {
        var directory = new TempDirectory("faas-cli-project-");
        _projects.Add(directory);
        return (directory.Path, Cli(directory.Path));
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        _projects.ForEach(project => project.Dispose());
        _config.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CliGatewayCollection : ICollectionFixture<CliGatewayFixture>
{
    public const string Name = "cli against one gateway";
}
