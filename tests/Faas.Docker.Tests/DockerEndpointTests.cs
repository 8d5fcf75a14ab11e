using Faas.Testing;

namespace Faas.Docker.Tests;

[Collection(EngineCollection.Name)]
public sealed class DockerEndpointTests(EngineFixture fixture)
{
    [DockerFact]
    public async Task An_engine_that_answers_gives_its_version()
    {
        var version = await DockerEndpoint.VerifyAsync(fixture.Engine, fixture.Socket, CancellationToken.None);

        Assert.Matches(@"^\d+\.\d+", version);
    }

    [Fact]
    public async Task No_engine_on_the_socket_is_unavailable_naming_the_socket()
    {
        using var directory = new TempDirectory("faas-no-engine-");
        var socket = directory.Combine("docker.sock");
        using var client = DockerEndpoint.Client(socket);

        var error = await Assert.ThrowsAsync<DockerUnavailableException>(() => DockerEndpoint.VerifyAsync(client, socket, CancellationToken.None));

        Assert.StartsWith($"no Docker Engine answers on {socket}: ", error.Message);
    }
}
