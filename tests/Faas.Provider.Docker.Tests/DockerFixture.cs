using System.Formats.Tar;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Engine;
using Faas.Testing;

namespace Faas.Provider.Docker.Tests;

/// <summary>
/// One Docker Engine for the Docker tests (see <see cref="DockerDaemon"/>) and images made on the machine, as no
/// registry is reachable: Debian's static busybox imported as <see cref="Image"/> (with /bin/sh), and the watchdog
/// image (<see cref="BaseImages.Watchdog"/>) that function replicas run.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string Image = "faas-test/busybox:1";

    private DockerDaemon _daemon = null!;

    public DockerEngine Engine { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (DockerAvailability.SkipReason is not null)
        {
            return;
        }

        _daemon = await DockerDaemon.StartAsync();
        Engine = await DockerEngine.ConnectAsync(_daemon.Socket);
        var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("busybox is not installed: run 'make test' (it installs busybox-static)");
        using var rootfs = new MemoryStream();
        await using (var tar = new TarWriter(rootfs, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute });
            await tar.WriteEntryAsync(busybox, "bin/busybox");
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = (UnixFileMode)0b111_111_111 });
        }

        rootfs.Position = 0;
        await Engine.ImportImageAsync(rootfs, "faas-test/busybox", "1");
        await BaseImages.ImportWatchdogAsync(Engine);
    }

    /// <summary>A Docker backend on this engine with its secrets under <paramref name="state"/>; quick to give up on a replica that fails.</summary>
    public Task<DockerProvider> StartProviderAsync(TempDirectory state, string network = DockerProviderOptions.HostNetwork) =>
        DockerProvider.StartAsync(new DockerProviderOptions
        {
            Socket = Engine.SocketPath,
            StateDirectory = state.Path,
            Network = network,
            StopGrace = TimeSpan.FromSeconds(2),
            ReadyTimeout = TimeSpan.FromSeconds(20),
        });

    public async Task DisposeAsync()
    {
        if (DockerAvailability.SkipReason is not null)
        {
            return;
        }

        foreach (var container in (await Engine.ListContainersAsync(["faas.test"])).Concat(await Engine.ListContainersAsync([ContainerLabels.Managed])))
        {
            await Engine.RemoveContainerAsync(container.Id, force: true);
        }

        foreach (var volume in await Engine.ListVolumesAsync([ContainerLabels.Managed]))
        {
            await Engine.RemoveVolumeAsync(volume.Name);
        }

        Engine.Dispose();
        await _daemon.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "docker";
}
