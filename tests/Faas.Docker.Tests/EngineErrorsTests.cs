using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Testing;

namespace Faas.Docker.Tests;

[Collection(EngineCollection.Name)]
public sealed class EngineErrorsTests(EngineFixture fixture)
{
    [DockerFact]
    public async Task A_name_in_use_is_a_conflict_told_in_the_engines_words()
    {
        var spec = new CreateContainerParameters
        {
            Name = $"twice-{Guid.NewGuid():N}"[..20],
            Image = BaseImages.Busybox,
            Cmd = ["/bin/sh", "-c", "true"],
            Labels = new Dictionary<string, string> { ["faas.test"] = "true" },
        };
        await fixture.Engine.Containers.CreateContainerAsync(spec);

        var error = await Assert.ThrowsAnyAsync<DockerApiException>(() => fixture.Engine.Containers.CreateContainerAsync(spec));

        Assert.True(error.IsConflict());
        Assert.False(error.IsNotFound());
        Assert.StartsWith("Conflict. The container name", EngineErrors.Reason(error));
        Assert.Contains("already in use", EngineErrors.Reason(error));
    }

    [DockerFact]
    public async Task A_missing_container_is_not_found()
    {
        var error = await Assert.ThrowsAnyAsync<DockerApiException>(() => fixture.Engine.Containers.InspectContainerAsync("no-such-container-here"));

        Assert.True(error.IsNotFound());
        Assert.Equal("No such container: no-such-container-here", EngineErrors.Reason(error));
    }
}
