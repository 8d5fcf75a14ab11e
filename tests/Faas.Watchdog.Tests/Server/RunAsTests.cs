using Faas.Testing;

namespace Faas.Watchdog.Tests.Server;

/// <summary><c>FAAS_RUN_AS=UID:GID</c>: a watchdog started as root leaves it for good before anything else, as the local backend starts it.</summary>
public class RunAsTests
{
    private const string Nobody = "65534";

    /// <summary>The identity lines of /proc/PID/status that must all name the function's user and no capability.</summary>
    private static readonly string[] Identity = ["Uid:", "Gid:", "Groups:", "CapInh:", "CapPrm:", "CapEff:", "CapAmb:"];

    [RootFact]
    public async Task Every_thread_of_the_watchdog_and_its_function_run_as_the_user_with_no_groups_and_no_capabilities()
    {
        using var temp = new TempDirectory();
        Faas.Posix.FileOwner.Change(temp.Path, 65534, 65534);
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string>
        {
            ["FAAS_RUN_AS"] = $"{Nobody}:{Nobody}",
            ["TMPDIR"] = temp.Path,
            ["fprocess"] = "cat /proc/self/status",
        });

        using var response = await TestHttp.Client.PostAsync(watchdog.Url + "/", new StringContent(""));
        var function = IdentityOf(await response.Content.ReadAsStringAsync());
        var threads = Directory.GetDirectories($"/proc/{watchdog.Process.Pid}/task")
            .Select(task => IdentityOf(File.ReadAllText(Path.Combine(task, "status"))))
            .ToList();

        Assert.True(threads.Count > 3, $"only {threads.Count} threads");
        Assert.All(threads.Append(function), identity => Assert.Equal(
            [$"Uid:{Nobody} {Nobody} {Nobody} {Nobody}", $"Gid:{Nobody} {Nobody} {Nobody} {Nobody}", "Groups:", "CapInh:0000000000000000",
             "CapPrm:0000000000000000", "CapEff:0000000000000000", "CapAmb:0000000000000000"],
            identity));
    }

    [Theory]
    [InlineData("0:0")]
    [InlineData("65534")]
    [InlineData("nobody:nogroup")]
    [InlineData("65534:-1")]
    public async Task A_value_that_is_not_an_unprivileged_UID_and_GID_exits_2_naming_it(string value)
    {
        await using var watchdog = await WatchdogProcess.StartAsync(new Dictionary<string, string> { ["FAAS_RUN_AS"] = value, ["fprocess"] = "cat" }, waitUntilHealthy: false);

        Assert.True(await watchdog.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, watchdog.Process.ExitCode);
        Assert.Contains($"invalid FAAS_RUN_AS=\"{value}\"", watchdog.Process.Output);
    }

    private static List<string> IdentityOf(string status) =>
        [.. status.Split('\n')
            .Where(line => Identity.Any(name => line.StartsWith(name, StringComparison.Ordinal)))
            .Select(line => string.Join(' ', line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)).Replace(": ", ":", StringComparison.Ordinal).TrimEnd())];
}
