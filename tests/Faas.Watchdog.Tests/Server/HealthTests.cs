
namespace Faas.Watchdog.Tests.Server;

public class HealthTests
{
    [Fact]
    public async Task Healthy_replica_answers_200_and_writes_the_lock_file()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat" });

        using var health = await TestHttp.Client.GetAsync(watchdog.Url + "/_/health");
        using var ready = await TestHttp.Client.GetAsync(watchdog.Url + "/_/ready");

        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal(200, (int)ready.StatusCode);
        Assert.True(File.Exists(watchdog.LockFile));
    }

    [Fact]
    public async Task Suppress_lock_writes_no_lock_file_but_is_healthy()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat", ["suppress_lock"] = "true" });

        using var health = await TestHttp.Client.GetAsync(watchdog.Url + "/_/health");

        Assert.Equal(200, (int)health.StatusCode);
        Assert.False(File.Exists(watchdog.LockFile));
    }

    [Fact]
    public async Task Health_turns_503_and_the_lock_file_goes_on_SIGTERM()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat", ["healthcheck_interval"] = "3s" });

        watchdog.Process.Signal(15);
        await Task.Delay(500);
        using var health = await TestHttp.Client.GetAsync(watchdog.Url + "/_/health");

        Assert.Equal(503, (int)health.StatusCode);
        Assert.False(File.Exists(watchdog.LockFile));
        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, watchdog.Process.ExitCode);
    }

    [Fact]
    public async Task Health_rejects_other_methods()
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["fprocess"] = "cat" });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url + "/_/health", new StringContent(""));

        Assert.Equal(405, (int)response.StatusCode);
    }
}
