using Faas.Testing.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Faas.Gateway.Tests.Dashboard;

/// <summary>The dashboard in real Chromium against the real gateway process: what a person signing in sees and does.</summary>
public sealed class DashboardTests(DashboardFixture dashboard, ChromiumFixture chromium) : IClassFixture<DashboardFixture>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_wrong_password_is_refused_and_shows_nothing()
    {
        var (page, _) = await dashboard.OpenAsync(chromium);
        await dashboard.SignInAsync(page, "not-the-password");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user or password.");
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        await DashboardFixture.ScreenshotAsync(page, "wrong-password");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signed_in_it_lists_the_functions_invokes_one_from_the_form_and_its_count_and_graph_move()
    {
        var (page, requests) = await dashboard.OpenAsync(chromium);
        await dashboard.SignInAsync(page);
        var greeter = page.Locator("tr[data-function=greeter]");
        await Expect(greeter).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-function=clock]")).ToBeVisibleAsync();
        await Expect(greeter.Locator("[data-field=replicas]")).ToHaveTextAsync("1/1");
        var before = long.Parse(await greeter.Locator("[data-field=invocations]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        // Search narrows the list; the keyboard reaches the function's page.
        await page.GetByLabel("Search functions").FillAsync("gree");
        await Expect(page.Locator("tr[data-function=clock]")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "greeter" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "greeter" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-field=image]")).ToHaveTextAsync("local");
        await Expect(page.Locator("[data-field=secrets]")).ToHaveTextAsync("db-password");
        await Expect(page.Locator("[data-field=env]")).ToContainTextAsync("GREETING = hello");

        var form = page.GetByRole(AriaRole.Form, new() { Name = "Invoke" });
        await form.GetByLabel("Body").FillAsync("hello from the dashboard");
        await form.GetByRole(AriaRole.Button, new() { Name = "Invoke" }).ClickAsync();
        await Expect(page.Locator("[data-field=invoke-status]")).ToHaveTextAsync("200 OK");
        await Expect(page.Locator("[data-field=invoke-body]")).ToHaveTextAsync("hello from the dashboard");
        for (var i = 0; i < 4; i++)
        {
            await form.GetByRole(AriaRole.Button, new() { Name = "Invoke" }).ClickAsync();
            await Expect(form.GetByRole(AriaRole.Button, new() { Name = "Invoke" })).ToBeEnabledAsync();
        }

        // The count comes from the admin API, the graph from the gateway's history: both move with the invocations.
        await Expect(page.Locator("[data-field=invocations]")).ToHaveTextAsync((before + 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByText(new System.Text.RegularExpressions.Regex(@"; ([5-9]|\d\d+) invocations\."))).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Invocation and error rate" }).Locator("path.line")).ToHaveAttributeAsync("d", new System.Text.RegularExpressions.Regex("L"));

        // Live logs: the function's stderr lines arrive while following, and the filter narrows them.
        var logs = page.Locator("[data-field=logs]");
        await Expect(logs).ToContainTextAsync("handled-request");
        await page.GetByLabel("Filter logs").FillAsync("no-such-line");
        await Expect(logs).ToHaveTextAsync("");
        await page.GetByLabel("Filter logs").FillAsync("handled");
        await Expect(logs).ToContainTextAsync("handled-request");

        var html = await page.ContentAsync();
        Assert.DoesNotContain(DashboardFixture.SecretValue, html, StringComparison.Ordinal);
        Assert.DoesNotContain(DashboardFixture.TokenValue, html, StringComparison.Ordinal);
        Assert.Contains("API_TOKEN", html, StringComparison.Ordinal);
        await DashboardFixture.ScreenshotAsync(page, "function");

        lock (requests)
        {
            Assert.All(requests, url => Assert.StartsWith(dashboard.Gateway.DashboardUrl + "/", url, StringComparison.Ordinal));
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Scale_to_zero_then_an_invocation_from_the_form_brings_it_back_with_a_cold_start()
    {
        var (page, _) = await dashboard.OpenAsync(chromium);
        await dashboard.SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "clock" }).ClickAsync();
        var scale = page.GetByRole(AriaRole.Form, new() { Name = "Scale" });
        await scale.GetByLabel("Replicas").FillAsync("0");
        await scale.GetByRole(AriaRole.Button, new() { Name = "Scale" }).ClickAsync();
        await Expect(page.Locator("[data-field=replicas]")).ToHaveTextAsync("0 / 0");
        await Expect(page.Locator("[data-field=status]")).ToHaveTextAsync("scaled to zero");

        var form = page.GetByRole(AriaRole.Form, new() { Name = "Invoke" });
        await form.GetByRole(AriaRole.Button, new() { Name = "Invoke" }).ClickAsync();
        await Expect(page.Locator("[data-field=invoke-status]")).ToHaveTextAsync("200 OK");
        await Expect(page.Locator("[data-field=cold-start]")).ToContainTextAsync("cold start");
        await Expect(page.Locator("[data-field=replicas]")).ToHaveTextAsync("1 / 1");
        await Expect(page.Locator("[data-field=cold-starts]")).ToHaveTextAsync("1");
        await DashboardFixture.ScreenshotAsync(page, "scaled-back");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_store_function_is_deployed_invoked_and_deleted_after_confirmation()
    {
        var (page, _) = await dashboard.OpenAsync(chromium);
        await dashboard.SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Store" }).ClickAsync();
        var card = page.Locator("[data-store=sha512sum]");
        await Expect(card).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(page, "store");
        await card.GetByRole(AriaRole.Textbox).FillAsync("hash-from-ui");
        await card.GetByRole(AriaRole.Button, new() { Name = "Deploy" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "hash-from-ui" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-field=image]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^bundle:hash-from-ui@sha256:"));
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Invoke" });
        await form.GetByLabel("Body").FillAsync("abc");
        await form.GetByRole(AriaRole.Button, new() { Name = "Invoke" }).ClickAsync();
        await Expect(page.Locator("[data-field=invoke-body]")).ToContainTextAsync(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData("abc"u8)));

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToBeDisabledAsync();
        await dialog.GetByLabel("Type hash-from-ui to confirm").FillAsync("hash-from-ui");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Functions" })).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-function=hash-from-ui]")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task It_is_readable_at_phone_width_without_sideways_scrolling()
    {
        var (page, _) = await dashboard.OpenAsync(chromium, 390, 844);
        await dashboard.SignInAsync(page);
        await Expect(page.Locator("tr[data-function=greeter]")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the function list is wider than a phone");
        await DashboardFixture.ScreenshotAsync(page, "phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_namespace_picker_shows_another_namespaces_functions_only()
    {
        using var admin = GatewayProcess.AdminClient();
        using (var created = await admin.PostAsync(dashboard.Gateway.Url + "/system/namespace/team-b", new StringContent("")))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        await dashboard.Gateway.DeployAsync("""{"service":"billing","namespace":"team-b","image":"local","envProcess":"cat"}""");
        var (page, _) = await dashboard.OpenAsync(chromium);
        await dashboard.SignInAsync(page);
        await Expect(page.Locator("tr[data-function=greeter]")).ToBeVisibleAsync();
        await page.GetByLabel("Namespace").SelectOptionAsync("team-b");
        await Expect(page.Locator("tr[data-function=billing]")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-function=greeter]")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "billing" }).ClickAsync();
        await Expect(page.Locator("[data-field=replicas]")).ToHaveTextAsync("1 / 1");
        await page.Context.CloseAsync();
    }
}
