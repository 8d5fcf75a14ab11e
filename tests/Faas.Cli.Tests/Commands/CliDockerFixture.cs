using System.Globalization;
using Docker.DotNet;
using Faas.Provider.Docker.Containers;
using Faas.Testing;

namespace Faas.Cli.Tests.Commands;

/// <summary>
/// For the Docker builder's end-to-end tests: a Docker Engine (see <see cref="DockerDaemon"/>) with the base images
/// <c>scripts/images.sh</c> made, Debian's <c>docker-registry</c> on a free 127.0.0.1 port, and a gateway on the Docker
/// backend that <c>faas</c> is logged in to. Disposing removes the backend's containers, then stops everything by PID.
/// </summary>
public sealed class CliDockerFixture() : EngineFixtureBase(ContainerLabels.Managed)
{
    private readonly TempDirectory _config = new("faas-cli-config-");
    private readonly TempDirectory _registryRoot = new("faas-registry-");
    private readonly List<TempDirectory> _projects = [];
    private ChildProcess _registry = null!;

    public GatewayProcess Gateway { get; private set; } = null!;

    /// <summary>The registry's address, <c>127.0.0.1:PORT</c> (the engine treats loopback registries as plain HTTP).</summary>
    public string Registry { get; private set; } = "";

    protected override async Task PrepareAsync(IDockerClient engine)
    {
        await BaseImages.ImportWatchdogAsync(engine);
        if (!BaseImages.HasDebianImages)
        {
            throw new InvalidOperationException($"the Debian base images are not in {BaseImages.Directory}: run 'scripts/images.sh' (make test does)");
        }

        await BaseImages.ImportDebianAsync(engine);
        Registry = $"127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        var config = _registryRoot.Combine("config.yml");
        await File.WriteAllTextAsync(config, $"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {_registryRoot.Combine("data")}\nhttp:\n  addr: {Registry}\n");
        _registry = ChildProcess.Start("docker-registry", ["serve", config]);
        await TestHttp.WaitForOkAsync($"http://{Registry}/v2/", TimeSpan.FromSeconds(20), () => _registry.Output);
        Gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["Gateway__Provider"] = "docker", ["Gateway__Docker__Socket"] = Socket });
        var login = await Cli(_config.Path).RunAsync("login --username admin --password-stdin", GatewayProcess.AdminPassword);
        Assert.True(login.ExitCode == 0, login.ToString());
    }

    public FaasCli Cli(string workingDirectory) => new(Gateway.Url, workingDirectory, _config.Path, new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + Socket });

    public (string Directory, FaasCli Cli) NewProject()
    {
        var directory = new TempDirectory("faas-cli-project-");
        _projects.Add(directory);
        return (directory.Path, Cli(directory.Path));
    }

    protected override async Task CleanUpAsync()
    {
        await Gateway.DisposeAsync();
        await _registry.DisposeAsync();
        _projects.ForEach(project => project.Dispose());
        _registryRoot.Dispose();
        _config.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CliDockerCollection : ICollectionFixture<CliDockerFixture>
{
    public const string Name = "cli against a gateway on the Docker backend";
}
