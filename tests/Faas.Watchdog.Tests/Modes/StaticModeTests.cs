using System.Net.Sockets;
using System.Text;

namespace Faas.Watchdog.Tests.Modes;

public sealed class StaticModeTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private WatchdogProcess _watchdog = null!;

    public async Task InitializeAsync()
    {
        var root = Directory.CreateDirectory(_temp.Combine("public")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "docs"));
        await File.WriteAllTextAsync(Path.Combine(root, "index.html"), "<h1>home</h1>");
        await File.WriteAllTextAsync(Path.Combine(root, "app.js"), "console.log(1)");
        await File.WriteAllTextAsync(Path.Combine(root, "style.css"), "body{}");
        await File.WriteAllTextAsync(Path.Combine(root, "docs", "index.html"), "<h1>docs</h1>");
        await File.WriteAllTextAsync(_temp.Combine("secret.txt"), "do not serve");
        File.CreateSymbolicLink(Path.Combine(root, "escape.txt"), _temp.Combine("secret.txt"));
        File.CreateSymbolicLink(Path.Combine(root, "outside"), _temp.Path);

        _watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["mode"] = "static", ["static_path"] = root });
    }

    public async Task DisposeAsync()
    {
        await _watchdog.DisposeAsync();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("/", "text/html", "<h1>home</h1>")]
    [InlineData("/app.js", "text/javascript", "console.log(1)")]
    [InlineData("/style.css", "text/css", "body{}")]
    [InlineData("/docs/", "text/html", "<h1>docs</h1>")]
    public async Task Files_are_served_with_their_content_type(string path, string contentType, string body)
    {
        using var response = await TestHttp.Client.GetAsync(_watchdog.Url + path);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Directory_without_slash_redirects()
    {
        using var response = await TestHttp.Client.GetAsync(_watchdog.Url + "/docs");

        Assert.Equal(301, (int)response.StatusCode);
        Assert.Equal("/docs/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Missing_file_is_404_and_post_is_405()
    {
        using var missing = await TestHttp.Client.GetAsync(_watchdog.Url + "/nope.txt");
        using var post = await TestHttp.Client.PostAsync(_watchdog.Url + "/app.js", new StringContent(""));

        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal(405, (int)post.StatusCode);
    }

    [Theory]
    [InlineData("/../secret.txt")]
    [InlineData("/%2e%2e/secret.txt")]
    [InlineData("/%2E%2E%2Fsecret.txt")]
    [InlineData("/docs/..%2f..%2fsecret.txt")]
    [InlineData("/..%5csecret.txt")]
    [InlineData("/escape.txt")]
    [InlineData("/outside/secret.txt")]
    public async Task Nothing_outside_the_root_is_served(string rawPath)
    {
        var answer = await RawGetAsync(rawPath);

        Assert.DoesNotContain("do not serve", answer);
        Assert.Matches("^HTTP/1.1 (400|404)", answer);
    }

    /// <summary>Sends the path byte for byte (HttpClient would normalise the dot segments away).</summary>
    private async Task<string> RawGetAsync(string rawPath)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _watchdog.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {rawPath} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
