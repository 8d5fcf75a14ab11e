using Docker.DotNet.Models;
using Faas.Testing;

namespace Faas.Docker.Tests;

/// <summary>The Engine answers a build 200 and reports a failed step in the stream: <see cref="EngineProgress"/> turns that into a failure.</summary>
[Collection(EngineCollection.Name)]
public sealed class EngineProgressTests(EngineFixture fixture)
{
    [DockerFact]
    public async Task A_build_streams_its_steps_in_order_and_its_build_args_reach_the_image()
    {
        var lines = await fixture.Engine.BuildAsync(
            $"FROM {BaseImages.Busybox}\nARG GREETING=none\nRUN echo \"$GREETING\" > /greeting\nCMD [\"/bin/sh\", \"-c\", \"cat /greeting\"]\n",
            "faas-test/built:1", new Dictionary<string, string> { ["GREETING"] = "from-build-arg" });
        var id = await fixture.Engine.RunAsync(new CreateContainerParameters { Image = "faas-test/built:1", Labels = new Dictionary<string, string> { ["faas.test"] = "true" } });
        var exit = await fixture.Engine.Containers.WaitContainerAsync(id, CancellationToken.None);
        var (stdout, _) = await fixture.Engine.OutputAsync(id);

        var steps = lines.Where(line => line.StartsWith("Step ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, steps.Count);
        Assert.StartsWith("Step 1/4 : FROM", steps[0]);
        Assert.StartsWith("Step 3/4 : RUN echo", steps[2]);
        Assert.Equal(0, exit.StatusCode);
        Assert.Equal("from-build-arg\n", stdout);
    }

    [DockerFact]
    public async Task A_failed_step_fails_the_call_with_the_engines_message()
    {
        var failure = await Assert.ThrowsAsync<EngineProgressException>(() =>
            fixture.Engine.BuildAsync($"FROM {BaseImages.Busybox}\nRUN exit 7\n", "faas-test/broken:1"));

        Assert.StartsWith("build faas-test/broken:1: ", failure.Message);
        Assert.Contains("returned a non-zero code: 7", failure.Message);
    }

    [Fact]
    public void Lines_reach_the_output_in_order_and_the_first_error_is_kept()
    {
        var lines = new List<string>();
        var progress = new EngineProgress(lines.Add);

        progress.Report(new JSONMessage { Stream = "Step 1/2 : FROM x\n" });
        progress.Report(new JSONMessage { Status = "Pulling" });
        progress.Report(new JSONMessage { Stream = "\n" });
        progress.Report(new JSONMessage { Error = new JSONError { Message = "first failure\n" } });
        progress.Report(new JSONMessage { Error = new JSONError { Message = "second" } });

        Assert.Equal(["Step 1/2 : FROM x", "Pulling"], lines);
        Assert.Equal("push x: first failure", Assert.Throws<EngineProgressException>(() => progress.ThrowIfFailed("push x")).Message);
    }
}
