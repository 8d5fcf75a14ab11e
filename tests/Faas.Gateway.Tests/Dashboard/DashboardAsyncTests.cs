using Faas.Testing.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Faas.Gateway.Tests.Dashboard;

/// <summary>
/// The dashboard's async page in real Chromium: a call that cannot run (its function is at zero replicas and this
/// gateway does not scale from zero) is retried, dead-lettered, shown, and re-driven from the page once it can run.
/// </summary>
public sealed class DashboardAsyncTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_dead_letter_is_listed_with_its_retries_and_re_driven_from_the_page()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Gateway__ScaleFromZero"] = "false",
            ["Gateway__Async__MaxAttempts"] = "2",
            ["Gateway__Async__RetryDelay"] = "00:00:00.1",
        });
        await gateway.DeployAsync("""{"service":"later","image":"local","envProcess":"cat","labels":{"com.openfaas.scale.factor":"0"}}""");
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/later", TimeSpan.FromSeconds(20), () => gateway.Output);
        using var admin = GatewayProcess.AdminClient();
        (await admin.PostAsync(gateway.Url + "/system/scale-function/later", Json("""{"serviceName":"later","replicas":0}"""))).EnsureSuccessStatusCode();
        for (var waited = 0; await StatusAsync(gateway.Url + "/function/later") != System.Net.HttpStatusCode.ServiceUnavailable; waited++)
        {
            Assert.True(waited < 100, "later still answers 10 s after its scale to zero");
            await Task.Delay(100);
        }

        using var accepted = await TestHttp.Client.PostAsync(gateway.Url + "/async-function/later", new StringContent("queued body"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        var callId = accepted.Headers.GetValues("X-Call-Id").Single();

        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(gateway.DashboardUrl + "/ui/#/async");
        await page.GetByLabel("Password").FillAsync(GatewayProcess.AdminPassword);
        await page.GetByLabel("Password").PressAsync("Enter");
        await page.GetByRole(AriaRole.Link, new() { Name = "Async" }).ClickAsync();

        var row = page.Locator("tr[data-function=later]");
        await Expect(row.Locator("[data-field=dead-lettered]")).ToHaveTextAsync("1");
        await Expect(row.Locator("[data-field=retries]")).ToHaveTextAsync("1");
        await Expect(row.Locator("[data-field=depth]")).ToHaveTextAsync("0");
        await row.GetByRole(AriaRole.Button, new() { Name = "Dead letters of later" }).ClickAsync();
        var letter = page.Locator($"tr[data-call='{callId}']");
        await Expect(letter).ToContainTextAsync("503 after 2 attempts");
        await DashboardFixture.ScreenshotAsync(page, "dead-letter");

        (await admin.PostAsync(gateway.Url + "/system/scale-function/later", Json("""{"serviceName":"later","replicas":1}"""))).EnsureSuccessStatusCode();
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/later", TimeSpan.FromSeconds(20), () => gateway.Output);
        await letter.GetByRole(AriaRole.Button, new() { Name = "Re-drive" }).ClickAsync();
        await Expect(letter).ToHaveCountAsync(0);
        await Expect(row.Locator("[data-field=completed]")).ToHaveTextAsync("1");
        await context.CloseAsync();
    }

    private static async Task<System.Net.HttpStatusCode> StatusAsync(string url)
    {
        using var response = await TestHttp.Client.PostAsync(url, new StringContent(""));
        return response.StatusCode;
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
