using Faas.Provider.Local.Logs;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Tests.Logs;

public class FunctionLogTests
{
    [Fact]
    public async Task Function_output_is_logged_per_instance_and_follow_streams_new_lines()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("chatty", "sh -c 'read line; echo \"got $line\" >&2; echo ok'"), CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("chatty", 1);
        await LocalProviderFixture.InvokeAsync(ready[0], "first\n");
        await TestLogs.WaitForLineAsync(fixture.Provider, "chatty", "got first");

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var followed = new List<LogMessage>();
        var follow = Task.Run(async () =>
        {
            await foreach (var message in fixture.Provider.GetLogsAsync(new LogRequest("chatty", "") { Follow = true, Tail = 1 }, cancel.Token))
            {
                followed.Add(message);
                if (message.Text.Contains("got second", StringComparison.Ordinal))
                {
                    return;
                }
            }
        });
        await Task.Delay(300);
        await LocalProviderFixture.InvokeAsync(ready[0], "second\n");
        await follow;

        Assert.Contains(followed, m => m.Text.Contains("got second", StringComparison.Ordinal));
        Assert.All(followed, m => Assert.Equal(ready[0].Instance, m.Instance));
        Assert.All(followed, m => Assert.Equal("chatty", m.Name));
    }

    [Fact]
    public async Task Log_file_is_bounded_by_rotation_and_tail_and_since_filter()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("f.log");
        using var log = new FunctionLog(path, maxBytes: 4096);
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 200; i++)
        {
            log.Append(new LogMessage { Name = "f", Namespace = "ns", Instance = i % 2 == 0 ? "a" : "b", Timestamp = start.AddSeconds(i), Text = $"line {i}" });
        }

        var tail = new List<LogMessage>();
        await foreach (var m in log.ReadAsync(new LogRequest("f", "ns") { Tail = 3 }, CancellationToken.None))
        {
            tail.Add(m);
        }

        var since = new List<LogMessage>();
        await foreach (var m in log.ReadAsync(new LogRequest("f", "ns") { Since = start.AddSeconds(195), Instance = "b" }, CancellationToken.None))
        {
            since.Add(m);
        }

        Assert.True(new FileInfo(path).Length <= 4096);
        Assert.True(new FileInfo(path + ".1").Length <= 4096);
        Assert.Equal(["line 197", "line 198", "line 199"], tail.Select(m => m.Text));
        Assert.Equal(["line 195", "line 197", "line 199"], since.Select(m => m.Text));
    }
}
