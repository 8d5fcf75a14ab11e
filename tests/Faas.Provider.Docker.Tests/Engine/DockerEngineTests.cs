using Faas.Testing;
using System.Formats.Tar;
using System.Text;
using Faas.Provider.Docker.Engine;

namespace Faas.Provider.Docker.Tests.Engine;

[Collection(DockerCollection.Name)]
public class DockerEngineTests(DockerFixture fixture)
{
    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..24];

    [DockerFact]
    public void The_api_version_is_negotiated_down_to_the_servers()
    {
        var server = Version.Parse(fixture.Engine.Server.ApiVersion);

        Assert.Equal(server < DockerEngine.MaxApiVersion ? server : DockerEngine.MaxApiVersion, fixture.Engine.ApiVersion);
        Assert.True(fixture.Engine.ApiVersion >= DockerEngine.MinApiVersion);
    }

    [DockerFact]
    public async Task A_container_runs_with_labels_and_env_and_its_stdout_and_stderr_come_apart()
    {
        var engine = fixture.Engine;
        var name = Unique("logs");
        var id = await engine.CreateContainerAsync(name, new ContainerSpec
        {
            Image = DockerFixture.Image,
            Cmd = ["/bin/sh", "-c", "echo out-$GREETING; echo err-line >&2; echo out-2; exit 3"],
            Env = ["GREETING=hello"],
            Labels = new() { ["faas.test"] = "true", ["faas.function"] = name },
            HostConfig = new HostConfig { NetworkMode = "host", ReadonlyRootfs = true, Tmpfs = new() { ["/tmp"] = "rw,size=16m" } },
        });

        await engine.StartContainerAsync(id);
        var exit = await engine.WaitContainerAsync(id);
        var frames = new List<LogFrame>();
        await foreach (var frame in engine.LogsAsync(id, follow: false))
        {
            frames.Add(frame);
        }

        var listed = await engine.ListContainersAsync([$"faas.function={name}"]);
        var inspected = await engine.InspectContainerAsync(id);
        await engine.RemoveContainerAsync(id, force: true);
        var gone = await Assert.ThrowsAsync<DockerException>(() => engine.InspectContainerAsync(id));

        Assert.Equal(3, exit);
        Assert.Equal("out-hello\nout-2\n", string.Concat(frames.Where(f => f.Stream == LogStream.Stdout).Select(f => Encoding.UTF8.GetString(f.Data))));
        Assert.Equal("err-line\n", string.Concat(frames.Where(f => f.Stream == LogStream.Stderr).Select(f => Encoding.UTF8.GetString(f.Data))));
        Assert.Equal(id, Assert.Single(listed).Id);
        Assert.Equal("true", inspected.Config.Labels!["faas.test"]);
        Assert.Contains("GREETING=hello", inspected.Config.Env!);
        Assert.True(inspected.HostConfig!.ReadonlyRootfs);
        Assert.True(gone.IsNotFound);
    }

    [DockerFact]
    public async Task A_name_in_use_is_a_conflict()
    {
        var name = Unique("twice");
        var spec = new ContainerSpec { Image = DockerFixture.Image, Cmd = ["/bin/sh", "-c", "true"], Labels = new() { ["faas.test"] = "true" } };
        await fixture.Engine.CreateContainerAsync(name, spec);

        var error = await Assert.ThrowsAsync<DockerException>(() => fixture.Engine.CreateContainerAsync(name, spec));

        Assert.True(error.IsConflict);
        Assert.Contains("already in use", error.Message);
    }

    [DockerFact]
    public async Task Images_build_from_a_tar_context_with_build_args_and_a_failed_step_names_itself()
    {
        static MemoryStream Context(string dockerfile)
        {
            var context = new MemoryStream();
            using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) });
            }

            context.Position = 0;
            return context;
        }

        var output = new List<string>();
        await foreach (var line in fixture.Engine.BuildImageAsync(Context($"FROM {DockerFixture.Image}\nARG GREETING=none\nRUN echo \"$GREETING\" > /greeting\nCMD [\"/bin/sh\", \"-c\", \"cat /greeting\"]\n"), "faas-test/built:1", new Dictionary<string, string> { ["GREETING"] = "from-build-arg" }))
        {
            output.Add(line);
        }

        var id = await fixture.Engine.CreateContainerAsync(Unique("built"), new ContainerSpec { Image = "faas-test/built:1", Labels = new() { ["faas.test"] = "true" } });
        await fixture.Engine.StartContainerAsync(id);
        await fixture.Engine.WaitContainerAsync(id);
        var greeting = new StringBuilder();
        await foreach (var frame in fixture.Engine.LogsAsync(id, follow: false))
        {
            greeting.Append(Encoding.UTF8.GetString(frame.Data));
        }

        var failure = await Assert.ThrowsAsync<DockerException>(async () =>
        {
            await foreach (var _ in fixture.Engine.BuildImageAsync(Context($"FROM {DockerFixture.Image}\nRUN exit 7\n"), "faas-test/broken:1", null))
            {
            }
        });

        Assert.Contains(output, line => line.StartsWith("Step 3/4 : RUN echo", StringComparison.Ordinal));
        Assert.Equal("from-build-arg\n", greeting.ToString());
        Assert.Contains("returned a non-zero code: 7", failure.Message);
    }
}
