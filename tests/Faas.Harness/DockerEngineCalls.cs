using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Docker;

namespace Faas.Harness;

/// <summary>The Engine calls tests and benchmarks repeat, on Docker.DotNet: find by label, clean up, build, read output.</summary>
public static class DockerEngineCalls
{
    /// <summary>Containers, stopped ones too, carrying every label (<c>key=value</c> or <c>key</c>).</summary>
    public static async Task<IList<ContainerListResponse>> ContainersWithAsync(this IDockerClient engine, params string[] labels) =>
        await engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = LabelFilter(labels) });

    public static async Task<IList<VolumeResponse>> VolumesWithAsync(this IDockerClient engine, params string[] labels) =>
        (await engine.Volumes.ListAsync(new VolumesListParameters { Filters = LabelFilter(labels) })).Volumes ?? [];

    /// <summary>Removes every container, volume and network carrying <paramref name="label"/>, as a fixture's clean-up.</summary>
    public static async Task RemoveLabelledAsync(this IDockerClient engine, string label)
    {
        foreach (var container in await engine.ContainersWithAsync(label))
        {
            await engine.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
        }

        foreach (var volume in await engine.VolumesWithAsync(label))
        {
            await engine.Volumes.RemoveAsync(volume.Name, force: true);
        }

        foreach (var network in await engine.Networks.ListNetworksAsync(new NetworksListParameters { Filters = LabelFilter([label]) }))
        {
            await engine.Networks.DeleteNetworkAsync(network.ID);
        }
    }

    /// <summary>Creates and starts a container; its id.</summary>
    public static async Task<string> RunAsync(this IDockerClient engine, CreateContainerParameters spec)
    {
        var id = (await engine.Containers.CreateContainerAsync(spec)).ID;
        await engine.Containers.StartContainerAsync(id, new ContainerStartParameters());
        return id;
    }

    /// <summary>A stopped container's stdout and stderr, read to the end.</summary>
    public static async Task<(string Stdout, string Stderr)> OutputAsync(this IDockerClient engine, string id)
    {
        using var stream = await engine.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        return (stdout, stderr);
    }

    /// <summary>Builds <paramref name="tag"/> from a Dockerfile alone (context: just it); the build's lines. An error line throws.</summary>
    public static async Task<List<string>> BuildAsync(this IDockerClient engine, string dockerfile, string tag, IDictionary<string, string>? buildArgs = null)
    {
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) });
        }

        context.Position = 0;
        var lines = new List<string>();
        var progress = new EngineProgress(lines.Add);
        await engine.Images.BuildImageFromDockerfileAsync(new ImageBuildParameters { Tags = [tag], Remove = true, ForceRemove = true, BuildArgs = buildArgs }, context, null, null, progress);
        progress.ThrowIfFailed($"build {tag}");
        return lines;
    }

    private static IDictionary<string, IDictionary<string, bool>> LabelFilter(string[] labels) =>
        new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels.ToDictionary(label => label, _ => true) };
}
