using System.Formats.Tar;
using Faas.Provider.Docker.Engine;
using Faas.Testing;

namespace Faas.Provider.Docker.Tests;

/// <summary>
/// One Docker Engine for the Docker tests (see <see cref="DockerDaemon"/>) and a tiny image made on the machine, as no
/// registry is reachable: Debian's static busybox imported as <see cref="Image"/> (with /bin/sh).
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string Image = "faas-test/busybox:1";

    private DockerDaemon _daemon = null!;

    public DockerEngine Engine { get; private set; } = null!;

    public async Task InitializeAsync()
    {
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
    }

    public async Task DisposeAsync()
    {
        foreach (var container in await Engine.ListContainersAsync(["faas.test"]))
        {
            await Engine.RemoveContainerAsync(container.Id, force: true);
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
