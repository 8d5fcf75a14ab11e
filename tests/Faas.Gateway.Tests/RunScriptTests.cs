
namespace Faas.Gateway.Tests;

/// <summary><c>make run</c>'s script with the published gateway and watchdog in out/ (make test publishes them).</summary>
public class RunScriptTests
{
    private const int SigInt = 2;

    [Fact]
    public async Task Ctrl_c_stops_the_gateway_and_every_replica()
    {
        foreach (var binary in new[] { "gateway", "watchdog", "faas" })
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "out", binary)), $"out/{binary} is missing: run 'make publish-gateway publish-watchdog publish-cli' (make test does)");
        }

        using var state = new TempDirectory("faas-run-");
        using var config = new TempDirectory("faas-run-config-");
        var marker = Guid.NewGuid().ToString();
        var port = FreePort.Next();
        var dashboardPort = FreePort.Next();

        // As a terminal's Ctrl-C does: SIGINT to the script's whole process group, with SIGINT's default action
        // restored first (perl is essential on Debian) in case this test itself runs with SIGINT ignored.
        await using var run = ChildProcess.Start(
            "perl",
            ["-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die", "setsid", "bash", "scripts/run.sh"],
            new Dictionary<string, string> { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["DASHBOARD_PORT"] = dashboardPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ["FAAS_STATE_DIR"] = state.Path, ["FAAS_RUN_MARKER"] = marker, ["FAAS_CONFIG_DIR"] = config.Path },
            RepoPaths.Root);
        Assert.True(await run.WaitForOutputAsync("FaaS is running", TimeSpan.FromSeconds(180)), run.Output);
        var greeting = await TestHttp.Client.PostAsync($"http://127.0.0.1:{port}/function/hello", new StringContent("test"));

        // The banner names the dashboard, which is served, and its store holds the store's functions, built by the script.
        Assert.Contains($"Dashboard: http://127.0.0.1:{dashboardPort}/ui/", run.Output, StringComparison.Ordinal);
        using var dashboard = await TestHttp.Client.GetAsync($"http://127.0.0.1:{dashboardPort}/ui/");
        Assert.Equal(System.Net.HttpStatusCode.OK, dashboard.StatusCode);
        using var store = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/system/store");
        store.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + (await File.ReadAllTextAsync(Path.Combine(state.Path, "admin-password"))).Trim())));
        using var storeList = await TestHttp.Client.SendAsync(store);
        Assert.Contains("\"sha512sum\"", await storeList.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The script and the gateway carry the marker; replicas get an environment of their own, so they are found as
        // the gateway's descendants.
        var gateway = Assert.Single(ProcessTable.WithEnvironment("FAAS_RUN_MARKER", marker), pid => ProcessTable.Executable(pid) == Path.Combine(RepoPaths.Root, "out", "gateway"));
        var started = ProcessTable.DescendantsOf(gateway).Append(gateway).ToList();
        var watchdogs = started.Count(pid => ProcessTable.Executable(pid) == Path.Combine(RepoPaths.Root, "out", "watchdog"));

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        Faas.Posix.Signals.SendToGroup(run.Pid, SigInt);
        var exited = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var stopped = stopping.Elapsed;
        var left = await ProcessTable.EventuallyAsync(() => !started.Any(ProcessTable.IsAlive) && ProcessTable.WithEnvironment("FAAS_RUN_MARKER", marker).Count == 0, TimeSpan.FromSeconds(10));

        Assert.Contains("Hello, test!", await greeting.Content.ReadAsStringAsync());
        Assert.True(watchdogs >= 4, $"expected a watchdog for each function of stack.yml, found {watchdogs}");
        Assert.True(exited, "the script did not exit after Ctrl-C");

        // The script starts the gateway with '&', so with SIGINT ignored, as its replicas then are: the SIGINT the
        // gateway stops them with must still reach them, or each waits out its 10 s grace and is killed.
        Assert.True(stopped < TimeSpan.FromSeconds(8), $"stopping took {stopped.TotalSeconds:0.0} s: the replicas waited out their stop grace");
        Assert.True(left, "processes were left behind: " + string.Join(", ", started.Where(ProcessTable.IsAlive)));
    }
}
