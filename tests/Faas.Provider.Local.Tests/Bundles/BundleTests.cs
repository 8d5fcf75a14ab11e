using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Faas.Provider.Local.Tests.Bundles;

public class BundleTests
{
    private static MemoryStream Archive(params (string Name, string Content, TarEntryType Type)[] entries)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content, type) in entries)
            {
                var entry = new PaxTarEntry(type, name);
                if (type == TarEntryType.SymbolicLink)
                {
                    entry.LinkName = content;
                }
                else if (type == TarEntryType.RegularFile)
                {
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                    entry.Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                }

                tar.WriteEntry(entry);
            }
        }

        output.Position = 0;
        return output;
    }

    private static (string, string, TarEntryType) File(string name, string content) => (name, content, TarEntryType.RegularFile);

    [Fact]
    public async Task Bundle_is_stored_by_digest_and_its_manifest_runs_the_function()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        using var archive = Archive(
            File("faas-bundle.json", """{"fprocess": "sh handler.sh", "mode": "streaming"}"""),
            File("handler.sh", "echo \"bundled: $(cat)\""));

        var image = await fixture.Provider.StoreBundleAsync("greeter", archive, CancellationToken.None);
        await fixture.Provider.DeployAsync(new() { Service = "greeter", Image = image }, CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("greeter", 1);

        Assert.Matches("^bundle:greeter@sha256:[0-9a-f]{64}$", image);
        Assert.Equal("bundled: hi\n", await LocalProviderFixture.InvokeAsync(ready[0], "hi"));
    }

    [Theory]
    [InlineData("../escape.sh", "points outside the bundle")]
    [InlineData("/etc/evil", "points outside the bundle")]
    public async Task Entries_that_leave_the_bundle_are_rejected_and_nothing_is_stored(string name, string expected)
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        using var archive = Archive(File("faas-bundle.json", """{"fprocess": "cat"}"""), File(name, "x"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.StoreBundleAsync("bad", archive, CancellationToken.None));

        Assert.Equal(ProviderError.Invalid, error.Kind);
        Assert.Contains(expected, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(fixture.State.Path, "bundles", "sha256")));
    }

    public static TheoryData<string, string[], string> CollidingEntries => new()
    {
        { "a file, then a directory of the same name", ["tool", "tool/"], "\"tool/\" is a directory where the bundle already has a file" },
        { "a directory, then a file of the same name", ["tool/", "tool"], "\"tool\" is a file where the bundle already has a directory" },
        { "a file under a file", ["tool", "tool/inner.sh"], "\"tool/inner.sh\" is under \"tool\", which the bundle already has as a file" },
        { "a name longer than 255 bytes", [new string('n', 300)], "has a path longer than the file system allows" },
        { "a path longer than PATH_MAX", [string.Join('/', Enumerable.Repeat(new string('d', 200), 25)) + "/f"], "has a path longer than the file system allows" },
    };

    [Theory]
    [MemberData(nameof(CollidingEntries))]
    public async Task Entries_that_cannot_be_unpacked_are_rejected_naming_the_entry(string what, string[] names, string expected)
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        using var archive = Archive([File("faas-bundle.json", """{"fprocess": "cat"}"""),
            .. names.Select(name => name.EndsWith('/') ? (name, "", TarEntryType.Directory) : File(name, "x"))]);

        var error = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.StoreBundleAsync("bad", archive, CancellationToken.None));

        Assert.True(error.Kind == ProviderError.Invalid, what);
        Assert.Contains(expected, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(fixture.State.Path, "bundles", "sha256")));
    }

    [Fact]
    public async Task Links_missing_manifests_and_non_archives_are_rejected()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        using var link = Archive(File("faas-bundle.json", """{"fprocess": "cat"}"""), ("passwd", "/etc/passwd", TarEntryType.SymbolicLink));
        using var noManifest = Archive(File("handler.sh", "echo"));
        using var noCommand = Archive(File("faas-bundle.json", """{"mode": "http"}"""));
        using var garbage = new MemoryStream(Encoding.UTF8.GetBytes("not a tarball"));

        var errors = new List<string>();
        foreach (var archive in new[] { link, noManifest, noCommand, garbage })
        {
            var error = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.StoreBundleAsync("bad", archive, CancellationToken.None));
            Assert.Equal(ProviderError.Invalid, error.Kind);
            errors.Add(error.Message);
        }

        Assert.Contains("SymbolicLink", errors[0]);
        Assert.Contains("no faas-bundle.json", errors[1]);
        Assert.Contains("fprocess", errors[2]);
        Assert.Contains("not a gzipped tar", errors[3]);
    }

    [Fact]
    public async Task Deploying_an_unknown_bundle_is_invalid()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();

        var error = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.DeployAsync(
            new() { Service = "ghost", Image = "bundle:ghost@sha256:" + new string('a', 64) }, CancellationToken.None));

        Assert.Contains("push it before deploying", error.Message);
    }
}
