using System.Net;
using System.Text.Json;
using Faas.Gateway.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Faas.Gateway.Tests.Dashboard;

/// <summary>The dashboard's sign-in and read API over HTTP: who gets in, what a session may do, what the history counts.</summary>
public class DashboardApiTests
{
    private static readonly string[] GuardedReads = ["/system/function-history", "/system/async-queues", "/system/dead-letters?name=x", "/system/store"];

    [Fact]
    public async Task Without_a_session_or_basic_auth_its_api_answers_401_while_the_page_itself_is_served_locked_down()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        foreach (var path in GuardedReads)
        {
            foreach (var origin in new[] { gateway.Url, gateway.DashboardUrl })
            {
                using var response = await TestHttp.Client.GetAsync(origin + path);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                // A browser's own password prompt only where no dashboard's sign-in form is the way in.
                Assert.Equal(origin == gateway.Url, response.Headers.WwwAuthenticate.Count == 1);
            }
        }

        using var page = await TestHttp.Client.GetAsync(gateway.DashboardUrl + "/ui/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("text/html", page.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var script = await TestHttp.Client.GetAsync(gateway.DashboardUrl + "/ui/main.js");
        Assert.StartsWith("text/javascript", script.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        using var missing = await TestHttp.Client.GetAsync(gateway.DashboardUrl + "/ui/../admin-password");
        Assert.NotEqual(HttpStatusCode.OK, missing.StatusCode);
    }

    [Fact]
    public async Task A_session_opens_nothing_on_the_functions_port_nor_for_another_origin_and_no_function_is_a_page_on_the_dashboards()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        (await gateway.DeployAsync("kept", "cat")).EnsureSuccessStatusCode();
        await gateway.WaitForAvailableAsync("kept");
        using var signedIn = await SignInAsync(gateway);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        // What a script on a function's page may send: on the main port (its own origin), the cookie and the dashboard's
        // header; to the dashboard's port (same site, another origin), the cookie, which the browser names same-site.
        using (var fromFunctionPage = await SendAsync(gateway.Url, HttpMethod.Post, "/system/scale-function/kept", cookie, """{"replicas":0}""", dashboardHeader: true))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, fromFunctionPage.StatusCode);
        }

        using (var read = await SendAsync(gateway.Url, HttpMethod.Get, "/system/functions", cookie))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        }

        using (var sameSite = await SendAsync(gateway.DashboardUrl, HttpMethod.Post, "/system/scale-function/kept", cookie, """{"replicas":0}""", dashboardHeader: true, fetchSite: "same-site"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, sameSite.StatusCode);
        }

        Assert.Equal(1, await ReplicasAsync(gateway, "kept"));

        // A browser navigating to a function at the dashboard's address (a link, a frame) is refused; the dashboard's
        // own script, which sends its header, invokes it.
        using (var navigated = await TestHttp.Client.PostAsync(gateway.DashboardUrl + "/function/kept", new StringContent("page")))
        {
            Assert.Equal(HttpStatusCode.NotFound, navigated.StatusCode);
            Assert.Contains("main address", await navigated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var queued = await TestHttp.Client.PostAsync(gateway.DashboardUrl + "/async-function/kept", new StringContent("page")))
        {
            Assert.Equal(HttpStatusCode.NotFound, queued.StatusCode);
        }

        using (var invoked = await SendAsync(gateway.DashboardUrl, HttpMethod.Post, "/function/kept", cookie, "{\"from\":\"dashboard\"}", dashboardHeader: true, fetchSite: "same-origin"))
        {
            Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
            Assert.Equal("{\"from\":\"dashboard\"}", await invoked.Content.ReadAsStringAsync());
        }

        using (var scaled = await SendAsync(gateway.DashboardUrl, HttpMethod.Post, "/system/scale-function/kept", cookie, """{"replicas":0}""", dashboardHeader: true, fetchSite: "same-origin"))
        {
            Assert.Equal(HttpStatusCode.Accepted, scaled.StatusCode);
        }

        // The main port sends /ui/ to the dashboard's address, on the host the caller used.
        using var redirected = await TestHttp.Client.GetAsync(gateway.Url + "/ui/?x=1");
        Assert.Equal(HttpStatusCode.Found, redirected.StatusCode);
        Assert.Equal(gateway.DashboardUrl + "/ui/?x=1", redirected.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Without_an_address_of_its_own_there_is_no_dashboard_and_a_bad_address_stops_the_start()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.Dashboard.Url = null);
        using var page = await TestHttp.Client.GetAsync(gateway.Url + "/ui/");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("Gateway:Dashboard:Url", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var signIn = await TestHttp.Client.PostAsync(gateway.Url + "/ui/session", GatewayFixture.Json($$"""{"user":"admin","password":"{{gateway.AdminPassword}}"}"""));
        Assert.Equal(HttpStatusCode.NotFound, signIn.StatusCode);
        Assert.False(signIn.Headers.Contains("Set-Cookie"));

        var (exitCode, output) = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Gateway__Dashboard__Url"] = "http://127.0.0.1:8081/ui" });
        Assert.Equal(2, exitCode);
        Assert.Contains("invalid Gateway:Dashboard:Url=\"http://127.0.0.1:8081/ui\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_gets_no_session_and_a_right_one_a_cookie_the_page_cannot_read()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var wrong = await TestHttp.Client.PostAsync(gateway.DashboardUrl + "/ui/session", GatewayFixture.Json("""{"user":"admin","password":"guess"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        using var right = await SignInAsync(gateway);
        var cookie = right.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(gateway.AdminPassword, cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_reads_the_api_changes_it_only_with_the_dashboards_header_and_ends_at_sign_out()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        (await gateway.DeployAsync("kept", "cat")).EnsureSuccessStatusCode();
        using var signedIn = await SignInAsync(gateway);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        foreach (var path in GuardedReads[..2])
        {
            using var read = await SendAsync(gateway, HttpMethod.Get, path, cookie);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        // A change needs the header a cross-site form cannot send: without it the function stays.
        using (var forged = await SendAsync(gateway, HttpMethod.Delete, "/system/functions", cookie, """{"functionName":"kept"}"""))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await gateway.Admin.GetAsync(gateway.Url + "/system/function/kept")).StatusCode);
        using (var scaled = await SendAsync(gateway, HttpMethod.Post, "/system/scale-function/kept", cookie, """{"replicas":0}""", dashboardHeader: true))
        {
            Assert.Equal(HttpStatusCode.Accepted, scaled.StatusCode);
        }

        using (var signOut = await SendAsync(gateway, HttpMethod.Delete, "/ui/session", cookie, dashboardHeader: true))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        }

        using var after = await SendAsync(gateway, HttpMethod.Get, "/system/functions", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_function_never_sees_the_session_cookie_though_it_keeps_its_own_cookies()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.AuthenticateInvocations = true);
        (await gateway.DeployAsync("headers", "env")).EnsureSuccessStatusCode();
        using var signedIn = await SignInAsync(gateway);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var token = cookie.Split('=')[1];

        // Sync and async alike; the session opens the invocation (AuthenticateInvocations) and is gone before the function.
        using var invoked = await SendAsync(gateway, HttpMethod.Post, "/function/headers", $"theme=dark; {cookie}; lang=en", "{}", dashboardHeader: true);
        var environment = await invoked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Contains("Http_Cookie=theme=dark; lang=en", environment, StringComparison.Ordinal);
        Assert.DoesNotContain(token, environment, StringComparison.Ordinal);

        using var only = await SendAsync(gateway, HttpMethod.Post, "/function/headers", cookie, "{}", dashboardHeader: true);
        Assert.DoesNotContain("Http_Cookie", await only.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Function_history_counts_each_intervals_invocations_errors_latency_and_replicas()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.Dashboard.HistoryInterval = TimeSpan.FromHours(1));
        (await gateway.DeployAsync("steady", "cat")).EnsureSuccessStatusCode();
        (await gateway.DeployAsync("failing", "sh -c 'exit 3'")).EnsureSuccessStatusCode();
        var history = gateway.Services.GetRequiredService<FunctionHistory>();
        await history.SampleAsync(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            using var ok = await TestHttp.Client.PostAsync(gateway.Url + "/function/steady", new StringContent("x"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var failed = await TestHttp.Client.PostAsync(gateway.Url + "/function/failing", new StringContent("x")))
        {
            Assert.True((int)failed.StatusCode >= 500, $"a function exiting 3 answered {(int)failed.StatusCode}");
        }

        // An answer is counted once it has gone out, so the client can have it first: sample once all are counted.
        var metrics = gateway.Services.GetRequiredService<GatewayMetrics>();
        Assert.True(await ProcessTable.EventuallyAsync(() => metrics.Load("steady.openfaas-fn").InFlight == 0 && metrics.Find("failing.openfaas-fn")?.Errors == 1,
            TimeSpan.FromSeconds(5)), "the invocations were not all counted");
        await history.SampleAsync(CancellationToken.None);
        using var document = await JsonDocument.ParseAsync(await gateway.Admin.GetStreamAsync(gateway.Url + "/system/function-history"));
        Assert.Equal(3600, document.RootElement.GetProperty("intervalSeconds").GetDouble());
        var functions = document.RootElement.GetProperty("functions").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("points"));
        var steady = functions["steady"][functions["steady"].GetArrayLength() - 1];
        Assert.Equal(5, steady.GetProperty("invocations").GetInt64());
        Assert.Equal(0, steady.GetProperty("errors").GetInt64());
        Assert.True(steady.GetProperty("p50Ms").GetDouble() > 0);
        Assert.True(steady.GetProperty("p99Ms").GetDouble() >= steady.GetProperty("p50Ms").GetDouble());
        Assert.Equal(1, steady.GetProperty("replicas").GetInt64());
        var failing = functions["failing"][functions["failing"].GetArrayLength() - 1];
        Assert.Equal(1, failing.GetProperty("errors").GetInt64());

        using var one = await JsonDocument.ParseAsync(await gateway.Admin.GetStreamAsync(gateway.Url + "/system/function-history?name=steady"));
        Assert.Equal("steady", one.RootElement.GetProperty("functions").EnumerateArray().Single().GetProperty("name").GetString());
        using var unknown = await gateway.Admin.GetAsync(gateway.Url + "/system/function-history?name=nobody");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_store_api_says_when_no_store_is_configured_and_names_an_unknown_function()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.StoreDirectory = null);
        using var none = await gateway.Admin.GetAsync(gateway.Url + "/system/store");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("FAAS_STORE_DIR", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var store = new TempDirectory("faas-store-");
        await File.WriteAllTextAsync(store.Combine("functions.json"), """{"functions":[{"name":"echo","title":"Echo","images":{"x86_64":"x"},"bundle":"../../etc/passwd"}]}""");
        await using var withStore = await GatewayFixture.StartAsync(options => options.StoreDirectory = store.Path);
        using var unknown = await withStore.Admin.PostAsync(withStore.Url + "/system/store/deploy", GatewayFixture.Json("""{"name":"nope"}"""));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nope", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A bundle path outside the store is refused, not read.
        using var escaping = await withStore.Admin.PostAsync(withStore.Url + "/system/store/deploy", GatewayFixture.Json("""{"name":"echo"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, escaping.StatusCode);
        using var badName = await withStore.Admin.PostAsync(withStore.Url + "/system/store/deploy", GatewayFixture.Json("""{"name":"echo","service":"Not A Name"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
    }

    private static Task<HttpResponseMessage> SignInAsync(GatewayFixture gateway) =>
        TestHttp.Client.PostAsync(gateway.DashboardUrl + "/ui/session", GatewayFixture.Json($$"""{"user":"admin","password":"{{gateway.AdminPassword}}"}"""));

    private static async Task<int> ReplicasAsync(GatewayFixture gateway, string name)
    {
        using var status = await JsonDocument.ParseAsync(await gateway.Admin.GetStreamAsync($"{gateway.Url}/system/function/{name}"));
        return status.RootElement.GetProperty("replicas").GetInt32();
    }

    private static Task<HttpResponseMessage> SendAsync(GatewayFixture gateway, HttpMethod method, string path, string cookie, string? json = null, bool dashboardHeader = false) =>
        SendAsync(gateway.DashboardUrl, method, path, cookie, json, dashboardHeader);

    /// <param name="fetchSite">The <c>Sec-Fetch-Site</c> a browser would send, or none (as a client outside a browser).</param>
    private static Task<HttpResponseMessage> SendAsync(string origin, HttpMethod method, string path, string cookie, string? json = null, bool dashboardHeader = false, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(method, origin + path) { Content = json is null ? null : GatewayFixture.Json(json) };
        request.Headers.Add("Cookie", cookie);
        if (dashboardHeader)
        {
            request.Headers.Add("X-Faas-Dashboard", "1");
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return TestHttp.Client.SendAsync(request);
    }
}
