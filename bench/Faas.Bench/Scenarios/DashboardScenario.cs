using System.Text;
using Faas.Bench.Tools;
using Faas.Posix;
using Faas.Harness.Browser;
using Microsoft.Playwright;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>dashboard</c>: the published gateway with 20 functions, its dashboard opened 20 times in Debian's Chromium
/// (Playwright, headless, each load in a fresh browser context: nothing cached). Measured by the browser itself:
/// first contentful paint of <c>/ui/</c>, and the time from navigation to the signed-in function list showing all 20
/// rows. No OpenFaaS portal runs here (its image cannot be pulled), so there is nothing side by side.
/// </summary>
internal static class DashboardScenario
{
    private const int Functions = 20;
    private const int Loads = 20;

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var dashboardUrl = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = await GatewayTarget.StartGatewayAsync(new Dictionary<string, string> { ["Gateway__Dashboard__Url"] = dashboardUrl });
        using var admin = GatewayTarget.AdminClient();
        for (var i = 0; i < Functions; i++)
        {
            using var body = new StringContent($$$"""{"service":"fn-{{{i}}}","image":"local","envProcess":"cat","labels":{"com.openfaas.scale.min":"0"}}""", Encoding.UTF8, "application/json");
            using var response = await admin.PostAsync(gateway.Url + "/system/functions", body);
            response.EnsureSuccessStatusCode();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        // Signed in once; each measured load starts from that session's cookie in a fresh context.
        var cookies = await SignInAsync(browser, dashboardUrl);
        var firstPaints = new List<double>();
        var listShown = new List<double>();
        for (var load = -2; load < Loads; load++)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
            await context.AddCookiesAsync(cookies);
            var page = await context.NewPageAsync();
            await page.GotoAsync(dashboardUrl + "/ui/");
            await page.Locator("tr[data-function]").Nth(Functions - 1).WaitForAsync();
            var shown = await page.EvaluateAsync<double>("performance.now()");
            var paint = await page.EvaluateAsync<double>("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1");
            if (load >= 0)
            {
                firstPaints.Add(paint);
                listShown.Add(shown);
            }
        }

        var paintMedian = Stats.Median(firstPaints);
        var listMedian = Stats.Median(listShown);
        Console.WriteLine($"  first contentful paint median {paintMedian:0} ms, function list shown {listMedian:0} ms");
        report.AddRow(new()
        {
            ["loads"] = Loads,
            ["first contentful paint median ms"] = paintMedian,
            ["first paint max ms"] = firstPaints.Max(),
            ["list of 20 shown median ms"] = listMedian,
            ["list shown max ms"] = listShown.Max(),
        });
        report.AddGoal("dashboard first paint under 300 ms from the gateway (median)", paintMedian < 300, $"{paintMedian:0} ms");
        report.AddCommand($"out/gateway with {Functions} functions; Chromium {ChromiumVersion(browser)} headless via Playwright: {Loads} loads of /ui/ (2 warm-ups first), each in a fresh context with the session cookie; times from the browser's Performance API");
    }

    private static async Task<IReadOnlyList<Cookie>> SignInAsync(IBrowser browser, string url)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(url + "/ui/");
        await page.GetByLabel("Password").FillAsync("bench");
        await page.GetByLabel("Password").PressAsync("Enter");
        await page.Locator("tr[data-function]").First.WaitForAsync();
        return [.. (await context.CookiesAsync()).Select(cookie => new Cookie { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path, HttpOnly = cookie.HttpOnly, SameSite = cookie.SameSite })];
    }

    private static string ChromiumVersion(IBrowser browser) => browser.Version;
}
