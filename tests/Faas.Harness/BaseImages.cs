using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Docker;

namespace Faas.Harness;

/// <summary>
/// The images <c>scripts/images.sh</c> makes without a registry, imported into a test's engine. The watchdog image
/// (<see cref="Watchdog"/>: the published watchdog, its libraries and busybox) and the gateway image are made on
/// demand; the Debian-based ones only by <c>make images</c> (debootstrap), so tests that need them ask <see cref="HasDebianImages"/>.
/// </summary>
public static class BaseImages
{
    public const string Watchdog = "faas/watchdog:latest";

    public const string Gateway = "faas/gateway:latest";

    /// <summary>Debian's static busybox alone (with <c>/bin/sh</c> and <c>/tmp</c>): the smallest image that runs a shell.</summary>
    public const string Busybox = "faas-test/busybox:1";

    private static readonly SemaphoreSlim Making = new(1, 1);

    public static string Directory => Environment.GetEnvironmentVariable("FAAS_IMAGES_DIR") ?? Path.Combine(RepoPaths.Root, "out", "images");

    public static bool HasDebianImages => File.Exists(Path.Combine(Directory, "debian.tar"));

    /// <summary>Makes (if needed) and imports the watchdog image into <paramref name="engine"/>, with the watchdog as its command.</summary>
    public static async Task ImportWatchdogAsync(IDockerClient engine)
    {
        await using var rootfs = File.OpenRead(await MakeAsync("watchdog.tar"));
        await ImportAsync(engine, rootfs, "faas/watchdog", "latest", ["CMD [\"/usr/bin/watchdog\"]"]);
    }

    /// <summary>Makes (if needed) and imports the gateway image, as <c>make images</c> does (entrypoint the gateway, default arguments its address).</summary>
    public static async Task ImportGatewayAsync(IDockerClient engine)
    {
        await using var rootfs = File.OpenRead(await MakeAsync("gateway.tar"));
        await ImportAsync(engine, rootfs, "faas/gateway", "latest",
            ["ENTRYPOINT [\"/usr/share/dotnet/dotnet\", \"/app/gateway.dll\"]", "CMD [\"--urls\", \"http://0.0.0.0:8080\"]"]);
    }

    /// <summary>Imports <see cref="Busybox"/>, made from this machine's busybox.</summary>
    public static async Task ImportBusyboxAsync(IDockerClient engine, string image = Busybox)
    {
        var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("busybox is not installed: run 'make test' (it installs busybox-static)");
        using var rootfs = new MemoryStream();
        await using (var tar = new TarWriter(rootfs, TarEntryFormat.Pax, leaveOpen: true))
        {
            const UnixFileMode Directory = (UnixFileMode)0b111_101_101;
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = Directory });
            await tar.WriteEntryAsync(busybox, "bin/busybox");
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = (UnixFileMode)0b111_111_111 });
        }

        rootfs.Position = 0;
        var (repository, tag) = ImageReference.Split(image);
        await ImportAsync(engine, rootfs, repository, tag!, []);
    }

    private static async Task<string> MakeAsync(string file)
    {
        var tar = Path.Combine(Directory, file);
        await Making.WaitAsync();
        try
        {
            if (!File.Exists(tar))
            {
                await using var script = ChildProcess.Start(Path.Combine(RepoPaths.Root, "scripts", "images.sh"), ["--no-debian"]);
                if (!await script.WaitForExitAsync(TimeSpan.FromMinutes(2)) || script.ExitCode != 0)
                {
                    throw new InvalidOperationException($"scripts/images.sh --no-debian failed: {script.Output}");
                }
            }
        }
        finally
        {
            Making.Release();
        }

        return tar;
    }

    /// <summary>Imports the Debian-based template images <c>make images</c> made, under the names the templates' offline build args use.</summary>
    public static async Task ImportDebianAsync(IDockerClient engine)
    {
        foreach (var (file, repository, tag) in new[] { ("debian", "faas/debian", "bookworm"), ("python", "faas/python", "3.11"), ("node", "faas/node", "20") })
        {
            await using var rootfs = File.OpenRead(Path.Combine(Directory, file + ".tar"));
            await ImportAsync(engine, rootfs, repository, tag, ["ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
        }
    }

    /// <summary>Imports a root filesystem tarball as an image (<c>docker import</c>), <paramref name="changes"/> being Dockerfile instructions.</summary>
    public static async Task ImportAsync(IDockerClient engine, Stream rootfs, string repository, string tag, IList<string> changes)
    {
        var progress = new EngineProgress();
        await engine.Images.CreateImageAsync(new ImagesCreateParameters { FromSrc = "-", Repo = repository, Tag = tag, Changes = changes }, rootfs, null, progress);
        progress.ThrowIfFailed($"import {repository}:{tag}");
    }
}
