using Faas.Testing.Browser;
using Microsoft.Playwright;
using Xunit;

namespace Faas.Gateway.Tests.Dashboard;

/// <summary>
/// The built gateway as a process, with a function store built by the real CLI (<c>faas store build</c>), a history
/// sampled every second, and two sample functions: one with an environment variable and a secret whose values must
/// never reach the page. Pages are opened in <see cref="ChromiumFixture"/>'s browser, each in a fresh context.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string SecretValue = "secret-value-7c1d";
    public const string TokenValue = "env-token-value-9f3e";

    private readonly TempDirectory _store = new("faas-dashboard-store-");

    public GatewayProcess Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await using (var build = ChildProcess.Start(RepoPaths.Built("cli/Faas.Cli", "faas"), ["store", "build", "--output", _store.Path]))
        {
            if (!await build.WaitForExitAsync(TimeSpan.FromMinutes(2)) || build.ExitCode != 0)
            {
                throw new InvalidOperationException($"faas store build failed: {build.Output}");
            }
        }

        Gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["FAAS_STORE_DIR"] = _store.Path,
            ["Gateway__Dashboard__HistoryInterval"] = "00:00:01",
        });
        using var admin = GatewayProcess.AdminClient();
        using var secret = await admin.PostAsync(Gateway.Url + "/system/secrets",
            new StringContent($$"""{"name":"db-password","value":"{{SecretValue}}"}""", System.Text.Encoding.UTF8, "application/json"));
        secret.EnsureSuccessStatusCode();
        await Gateway.DeployAsync($$$"""{"service":"greeter","image":"local","envProcess":"sh -c 'echo handled-request >&2; cat'","envVars":{"API_TOKEN":"{{{TokenValue}}}","GREETING":"hello"},"secrets":["db-password"],"labels":{"team":"web"}}""");
        await Gateway.DeployAsync("""{"service":"clock","image":"local","envProcess":"date","labels":{"com.openfaas.scale.factor":"0"}}""");
        await Gateway.InvokeAsync("greeter");
    }

    /// <summary>A new page in a new browser context (no cookies), at <paramref name="width"/> x <paramref name="height"/>, recording every URL it asks for.</summary>
    public async Task<(IPage Page, List<string> Requests)> OpenAsync(ChromiumFixture chromium, int width = 1280, int height = 800)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => { lock (requests) { requests.Add(request.Url); } };
        page.SetDefaultTimeout(15_000);
        return (page, requests);
    }

    public async Task SignInAsync(IPage page, string password = GatewayProcess.AdminPassword)
    {
        await page.GotoAsync(Gateway.DashboardUrl + "/ui/");
        await page.GetByLabel("User").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByLabel("Password").PressAsync("Enter");
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ChromiumFixture.ArtifactDirectory, $"dashboard-{name}.png"), FullPage = true });

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        _store.Dispose();
    }
}
