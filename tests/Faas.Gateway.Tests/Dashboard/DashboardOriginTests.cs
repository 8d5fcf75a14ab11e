using System.Text.Json;
using System.Text.Json.Nodes;
using Faas.Testing.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Faas.Gateway.Tests.Dashboard;

/// <summary>
/// A hostile function's page in real Chromium, opened by an admin signed in to the dashboard: its scripts try to
/// change the gateway with the admin's session, from its own origin and against the dashboard's, and the page tries to
/// be opened in the dashboard's origin.
/// </summary>
public sealed class DashboardOriginTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>Scales <c>victim</c> to zero every way a page's script can ask; the title lists what each attempt got.</summary>
    private const string HostilePage = """
        <!doctype html><title>pending</title><script>
        const change = '{"serviceName":"victim","replicas":0}';
        const asAdmin = { method: "POST", headers: { "X-Faas-Dashboard": "1", "Content-Type": "application/json" }, body: change };
        const attempt = async (name, url, init) => {
          try { const response = await fetch(url, init); return `${name}:${response.type === "opaque" ? "opaque" : response.status}`; }
          catch { return `${name}:blocked`; }
        };
        (async () => {
          const results = [
            await attempt("own-origin", "/system/scale-function/victim", asAdmin),
            await attempt("dashboard", "DASHBOARD/system/scale-function/victim", { ...asAdmin, credentials: "include" }),
            await attempt("dashboard-simple", "DASHBOARD/system/scale-function/victim", { method: "POST", mode: "no-cors", credentials: "include", body: change }),
          ];
          document.title = results.join(" ");
        })();
        </script>
        """;

    [Fact]
    public async Task A_functions_page_cannot_act_as_the_signed_in_admin_nor_open_in_the_dashboards_origin()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        await gateway.DeployAsync("""{"service":"victim","image":"local","envProcess":"cat"}""");
        var hostile = new JsonObject
        {
            ["service"] = "hostile",
            ["image"] = "local",
            ["envProcess"] = "printenv PAGE",
            ["envVars"] = new JsonObject { ["content_type"] = "text/html", ["PAGE"] = HostilePage.Replace("DASHBOARD", gateway.DashboardUrl, StringComparison.Ordinal) },
        };
        await gateway.DeployAsync(hostile.ToJsonString());
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/hostile", TimeSpan.FromSeconds(20), () => gateway.Output);
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/victim", TimeSpan.FromSeconds(20), () => gateway.Output);

        var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);

        // The main port's /ui/ leads to the dashboard's address, where the admin signs in.
        await page.GotoAsync(gateway.Url + "/ui/");
        Assert.StartsWith(gateway.DashboardUrl + "/ui/", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Password").FillAsync(GatewayProcess.AdminPassword);
        await page.GetByLabel("Password").PressAsync("Enter");
        await Expect(page.Locator("tr[data-function=victim]")).ToBeVisibleAsync();

        // The function's page, where its link leads: neither the session nor Basic auth the browser may hold opens
        // anything from there, and it gets no challenge that would make the browser ask for the password.
        await page.GotoAsync(gateway.Url + "/function/hostile");
        await Expect(page).Not.ToHaveTitleAsync("pending");
        Assert.Equal("own-origin:403 dashboard:blocked dashboard-simple:opaque", await page.TitleAsync());

        // Opened at the dashboard's address, it is no page at all: its script never runs there.
        var atDashboard = await page.GotoAsync(gateway.DashboardUrl + "/function/hostile");
        Assert.Equal(404, atDashboard!.Status);
        Assert.Equal("", await page.TitleAsync());

        using var admin = GatewayProcess.AdminClient();
        using var status = JsonDocument.Parse(await admin.GetStringAsync(gateway.Url + "/system/function/victim"));
        Assert.Equal(1, status.RootElement.GetProperty("replicas").GetInt32());

        // The same session still works where it belongs.
        await page.GotoAsync(gateway.DashboardUrl + "/ui/");
        await Expect(page.Locator("tr[data-function=victim]")).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_functions_page_cannot_delete_or_replace_the_admins_session_cookie_though_its_own_cookies_stay()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        var baker = new JsonObject
        {
            ["service"] = "baker",
            ["image"] = "local",
            ["envProcess"] = RepoPaths.TestUpstream,
            ["envVars"] = new JsonObject { ["mode"] = "http" },
        };
        await gateway.DeployAsync(baker.ToJsonString());
        await TestHttp.WaitForOkAsync(gateway.Url + "/function/baker/", TimeSpan.FromSeconds(20), () => gateway.Output);

        var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(gateway.DashboardUrl + "/ui/");
        await page.GetByLabel("Password").FillAsync(GatewayProcess.AdminPassword);
        await page.GetByLabel("Password").PressAsync("Enter");
        await Expect(page.Locator("tr[data-function=baker]")).ToBeVisibleAsync();
        var session = (await context.CookiesAsync()).Single(cookie => cookie.Name == "faas_session").Value;

        // The function's answer tries a sign-out (the session's name, expired) and a planted value, and sets its own.
        var cookies = new[] { "faas_session=; Path=/; Max-Age=0", " faas_session=planted; Path=/", "flavour=oat; Path=/" };
        await page.GotoAsync($"{gateway.Url}/function/baker/cookies?{string.Join("&", cookies.Select(cookie => "set=" + Uri.EscapeDataString(cookie)))}");

        var held = await context.CookiesAsync();
        Assert.Equal(session, held.Single(cookie => cookie.Name == "faas_session").Value);
        Assert.Equal("oat", held.Single(cookie => cookie.Name == "flavour").Value);
        await page.GotoAsync(gateway.DashboardUrl + "/ui/");
        await Expect(page.Locator("tr[data-function=baker]")).ToBeVisibleAsync();
        await context.CloseAsync();
    }
}
