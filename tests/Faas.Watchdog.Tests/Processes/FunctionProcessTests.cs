namespace Faas.Watchdog.Tests.Processes;

public class FunctionProcessTests
{
    [Fact]
    public async Task A_descriptor_the_watchdog_inherited_does_not_reach_its_function()
    {
        using var temp = new TempDirectory("faas-inherited-");
        var secret = temp.Combine("parent-secret");
        await File.WriteAllTextAsync(secret, "the parent's secret");
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "serializing",
            ["fprocess"] = "sh -c 'ls -l /proc/self/fd/; echo done'",
        }, inheritedFile: secret);

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("done\n", body);
        Assert.DoesNotContain("parent-secret", body);
    }

    [Fact]
    public async Task A_function_starts_with_SIGPIPE_at_its_default_action()
    {
        // .NET ignores SIGPIPE, and an ignored signal passes through exec: yes would then fail on its broken pipe
        // (exit 1, "Broken pipe") instead of ending by the signal (128 + 13), as it does under a shell or of-watchdog.
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["mode"] = "serializing",
            ["fprocess"] = "sh -c '{ (yes 2>/dev/null; echo \"yes ended with $?\" >&2) | head -n 1 >/dev/null; } 2>&1'",
        });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url, new StringContent(""));

        Assert.Equal("yes ended with 141\n", await response.Content.ReadAsStringAsync());
    }
}
