using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Faas.Gateway.Tests.Security;

public class BasicAuthTests
{
    [Fact]
    public async Task System_routes_need_the_admin_credentials()
    {
        await using var gateway = await GatewayFixture.StartAsync();

        using var anonymous = await TestHttp.Client.GetAsync(gateway.Url + "/system/functions");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, gateway.Url + "/system/functions");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + gateway.AdminPassword + "x")));
        using var wrongAnswer = await TestHttp.Client.SendAsync(wrong);
        using var garbage = new HttpRequestMessage(HttpMethod.Get, gateway.Url + "/system/info");
        garbage.Headers.TryAddWithoutValidation("Authorization", "Basic !!!not-base64");
        using var garbageAnswer = await TestHttp.Client.SendAsync(garbage);
        using var admin = await gateway.Admin.GetAsync(gateway.Url + "/system/functions");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, garbageAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task A_request_a_web_page_makes_on_the_main_port_gets_nothing_from_the_credentials_the_browser_adds()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.AuthenticateInvocations = true);
        (await gateway.DeployAsync("closed", "cat")).EnsureSuccessStatusCode();
        await gateway.WaitForAvailableAsync("closed");

        // Basic auth a browser once had typed in is added by itself to every request of the origin, a function's page's too.
        foreach (var (path, site) in new[] { ("/system/functions", "same-origin"), ("/system/functions", "cross-site"), ("/function/closed", "same-origin") })
        {
            using var fromPage = new HttpRequestMessage(HttpMethod.Get, gateway.Url + path);
            fromPage.Headers.Authorization = gateway.Admin.DefaultRequestHeaders.Authorization;
            fromPage.Headers.Add("Sec-Fetch-Site", site);
            using var refused = await TestHttp.Client.SendAsync(fromPage);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Empty(refused.Headers.WwwAuthenticate);
            Assert.Contains($"Sec-Fetch-Site: {site}", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Without credentials a page gets no challenge, so it cannot make the browser ask the admin for the password.
        using var probe = new HttpRequestMessage(HttpMethod.Get, gateway.Url + "/system/functions");
        probe.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var probed = await TestHttp.Client.SendAsync(probe);
        Assert.Equal(HttpStatusCode.Forbidden, probed.StatusCode);
        Assert.Empty(probed.Headers.WwwAuthenticate);

        // An address typed in the browser's bar (none) is the admin's own request.
        using var typed = new HttpRequestMessage(HttpMethod.Get, gateway.Url + "/system/functions");
        typed.Headers.Authorization = gateway.Admin.DefaultRequestHeaders.Authorization;
        typed.Headers.Add("Sec-Fetch-Site", "none");
        using var answered = await TestHttp.Client.SendAsync(typed);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task In_a_browser_without_Sec_Fetch_Site_a_page_on_the_main_port_is_known_by_its_Origin_or_Referer()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        (await gateway.DeployAsync("kept", "cat")).EnsureSuccessStatusCode();
        await gateway.WaitForAvailableAsync("kept");

        // Safari before 16.4: a page's change carries Origin ("null" under a no-referrer policy), a page's read a Referer.
        var fromPages = new (HttpMethod Method, string Path, string Header, string Value)[]
        {
            (HttpMethod.Post, "/system/scale-function/kept", "Origin", gateway.Url),
            (HttpMethod.Delete, "/system/functions", "Origin", "null"),
            (HttpMethod.Get, "/system/functions", "Referer", gateway.Url + "/function/kept"),
        };
        foreach (var (method, path, header, value) in fromPages)
        {
            using var fromPage = new HttpRequestMessage(method, gateway.Url + path)
            {
                Content = method == HttpMethod.Get ? null : GatewayFixture.Json(method == HttpMethod.Post ? """{"replicas":0}""" : """{"functionName":"kept"}"""),
            };
            fromPage.Headers.Authorization = gateway.Admin.DefaultRequestHeaders.Authorization;
            fromPage.Headers.TryAddWithoutValidation(header, value);
            using var refused = await TestHttp.Client.SendAsync(fromPage);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Empty(refused.Headers.WwwAuthenticate);
            Assert.Contains($"({header}: {value})", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Nothing was changed, and a client that is not a browser (none of these headers) is still the admin.
        using var functions = await gateway.Admin.GetAsync(gateway.Url + "/system/function/kept");
        Assert.Equal(HttpStatusCode.OK, functions.StatusCode);
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(await functions.Content.ReadAsStringAsync()).RootElement.GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task In_a_browser_without_Sec_Fetch_Site_the_dashboards_own_requests_keep_their_session()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        (await gateway.DeployAsync("kept", "cat")).EnsureSuccessStatusCode();
        await gateway.WaitForAvailableAsync("kept");
        using var signedIn = await TestHttp.Client.PostAsync(gateway.DashboardUrl + "/ui/session",
            GatewayFixture.Json($$"""{"user":"admin","password":"{{gateway.AdminPassword}}"}"""));
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        // The dashboard's page has a no-referrer policy: its changes carry "Origin: null" and its reads no Referer.
        using var change = new HttpRequestMessage(HttpMethod.Post, gateway.DashboardUrl + "/system/scale-function/kept") { Content = GatewayFixture.Json("""{"replicas":0}""") };
        change.Headers.Add("Cookie", cookie);
        change.Headers.Add("X-Faas-Dashboard", "1");
        change.Headers.TryAddWithoutValidation("Origin", "null");
        using var changed = await TestHttp.Client.SendAsync(change);

        Assert.True(changed.IsSuccessStatusCode, $"{changed.StatusCode}: {await changed.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Invocations_and_health_stay_public()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var _ = await gateway.DeployAsync("open", "cat");
        await gateway.WaitForAvailableAsync("open");

        using var invoked = await TestHttp.Client.PostAsync(gateway.Url + "/function/open", new StringContent("public"));
        using var health = await TestHttp.Client.GetAsync(gateway.Url + "/healthz");

        Assert.Equal("public", await invoked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Invocations_can_be_made_to_need_the_credentials()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.AuthenticateInvocations = true);
        using var _ = await gateway.DeployAsync("closed", "cat");
        await gateway.WaitForAvailableAsync("closed");

        using var anonymous = await TestHttp.Client.PostAsync(gateway.Url + "/function/closed", new StringContent("x"));
        using var admin = await gateway.Admin.PostAsync(gateway.Url + "/function/closed", new StringContent("admin"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("invoking functions needs the admin user and password", await anonymous.Content.ReadAsStringAsync());
        Assert.Equal("admin", await admin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_function_never_receives_the_admin_credentials_but_keeps_its_own_authorization()
    {
        await using var gateway = await GatewayFixture.StartAsync(options => options.AuthenticateInvocations = true);
        using var _ = await gateway.DeployAsync("printenv", "env");
        await gateway.WaitForAvailableAsync("printenv");

        using var asAdmin = await gateway.Admin.PostAsync(gateway.Url + "/function/printenv", new StringContent(""));
        var environment = await asAdmin.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.DoesNotContain("Http_Authorization", environment, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.AdminPassword, environment, StringComparison.Ordinal);

        await using var open = await GatewayFixture.StartAsync();
        using var __ = await open.DeployAsync("printenv", "env");
        await open.WaitForAvailableAsync("printenv");
        using var request = new HttpRequestMessage(HttpMethod.Post, open.Url + "/function/printenv") { Content = new StringContent("") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "the-functions-own-token");
        using var ownToken = await TestHttp.Client.SendAsync(request);
        Assert.Contains("Http_Authorization=Bearer the-functions-own-token", await ownToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_password_is_random_stored_private_and_kept_across_restarts()
    {
        using var state = new TempDirectory();

        var first = Faas.Gateway.Security.AdminCredentials.Load(null, state.Path);
        var again = Faas.Gateway.Security.AdminCredentials.Load(null, state.Path);
        var file = Path.Combine(state.Path, "admin-password");
        var password = File.ReadAllText(file);

        Assert.Equal(32, password.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(file, first.Source);
        Assert.True(again.Accepts("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + password))));
        Assert.False(again.Accepts("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("root:" + password))));
    }

    [Fact]
    public void Openfaas_style_secret_files_are_used_when_present()
    {
        using var secrets = new TempDirectory();
        using var state = new TempDirectory();
        File.WriteAllText(Path.Combine(secrets.Path, "basic-auth-user"), "ops\n");
        File.WriteAllText(Path.Combine(secrets.Path, "basic-auth-password"), "from-a-file\n");

        var credentials = Faas.Gateway.Security.AdminCredentials.Load(secrets.Path, state.Path);

        Assert.Equal("ops", credentials.User);
        Assert.True(credentials.Accepts("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:from-a-file"))));
        Assert.False(File.Exists(Path.Combine(state.Path, "admin-password")));
    }
}
