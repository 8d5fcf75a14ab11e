
namespace Faas.Cli.Tests.BuiltIn;

/// <summary>faas copied out of the repository and run from elsewhere, as an installed command is: its templates and store come with it.</summary>
public sealed class InstalledCliTests : IDisposable
{
    private readonly TempDirectory _install = new("faas-installed-");
    private readonly TempDirectory _work = new("faas-elsewhere-");
    private readonly FaasCli _cli;

    public InstalledCliTests()
    {
        var built = Path.GetDirectoryName(FaasCli.Executable)!;
        foreach (var file in Directory.EnumerateFiles(built))
        {
            File.Copy(file, _install.Combine(Path.GetFileName(file)));
        }

        File.SetUnixFileMode(_install.Combine("faas"), File.GetUnixFileMode(FaasCli.Executable));
        _cli = new FaasCli("http://127.0.0.1:9", _work.Path, _work.Combine("config"),
            new Dictionary<string, string> { ["XDG_CACHE_HOME"] = _work.Combine("cache"), ["FAAS_TEMPLATES"] = "", ["FAAS_STORE"] = "" },
            executable: _install.Combine("faas"));
    }

    [Fact]
    public async Task Templates_are_listed_and_new_creates_a_function_outside_the_repository()
    {
        var listed = await _cli.RunAsync("template list");
        var created = await _cli.RunAsync("new hello --lang python3-http");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        foreach (var language in new[] { "bash-streaming", "csharp", "dockerfile", "node-http", "python3-http" })
        {
            Assert.Contains(language, listed.Stdout);
        }

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(File.Exists(_work.Combine("hello", "handler.py")), string.Join(", ", Directory.EnumerateFileSystemEntries(_work.Path, "*", SearchOption.AllDirectories)));
        Assert.Contains("lang: python3-http", await File.ReadAllTextAsync(_work.Combine("stack.yml")));
    }

    [Fact]
    public async Task The_store_comes_with_the_executable()
    {
        var listed = await _cli.RunAsync("store list");
        var described = await _cli.RunAsync("store describe sha512sum");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains("sha512sum", listed.Stdout);
        Assert.Contains("faas-store/sha512sum:latest", described.Stdout);
    }

    public void Dispose()
    {
        _install.Dispose();
        _work.Dispose();
    }
}
