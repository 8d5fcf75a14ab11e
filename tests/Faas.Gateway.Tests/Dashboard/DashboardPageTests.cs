using System.Net;
using System.Text.RegularExpressions;

namespace Faas.Gateway.Tests.Dashboard;

/// <summary>The page as the gateway serves it: what a browser learns from it before it runs a script.</summary>
public partial class DashboardPageTests
{
    [Fact]
    public async Task The_page_announces_every_module_its_script_imports_so_the_browser_fetches_them_at_once()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var page = await TestHttp.Client.GetStringAsync(gateway.DashboardUrl + "/ui/");
        var announced = ModulePreload().Matches(page).Select(match => match.Groups["path"].Value).ToHashSet(StringComparer.Ordinal);

        // Every module main.js reaches through its imports, found the way a browser finds them: one level at a time.
        var imported = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(["main.js"]);
        while (pending.TryDequeue(out var module))
        {
            using var response = await TestHttp.Client.GetAsync(gateway.DashboardUrl + "/ui/" + module);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/ui/{module}: {response.StatusCode}");
            var directory = module.Contains('/', StringComparison.Ordinal) ? module[..(module.LastIndexOf('/') + 1)] : "";
            foreach (Match import in ImportFrom().Matches(await response.Content.ReadAsStringAsync()))
            {
                var target = new Uri(new Uri("http://page/" + directory), import.Groups["path"].Value).AbsolutePath.TrimStart('/');
                if (imported.Add(target))
                {
                    pending.Enqueue(target);
                }
            }
        }

        Assert.True(imported.Count >= 5, $"main.js imports {imported.Count} modules: {string.Join(", ", imported)}");
        imported.Remove("main.js");
        Assert.Equal(imported.Order(StringComparer.Ordinal), announced.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex("""<link rel="modulepreload" href="(?<path>[^"]+)">""")]
    private static partial Regex ModulePreload();

    [GeneratedRegex("""(?:^|\n)\s*import\s[^;]*?from\s*"(?<path>\.[^"]+)";""")]
    private static partial Regex ImportFrom();
}
