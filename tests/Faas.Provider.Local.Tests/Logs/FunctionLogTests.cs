using Faas.Provider.Local.Logs;
using Faas.Provider.Wire;
using Microsoft.Extensions.Logging.Abstractions;

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

    /// <summary>
    /// A function sets its own watchdog's <c>log_buffer_size</c>, so the watchdog may pass on a line of any length: the
    /// backend keeps its own limit. One line of hundreds of megabytes used to be held whole, and stopped the gateway.
    /// </summary>
    [Fact]
    public async Task A_line_longer_than_64_KiB_is_logged_in_pieces_whatever_the_function_sets()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.DeployAsync(LocalProviderFixture.Function("loud", "sh -c 'head -c 3000000 /dev/zero | tr -c x a >&2; echo >&2; echo done >&2; echo ok'",
            new() { ["log_buffer_size"] = "100000000" }), CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("loud", 1);

        await LocalProviderFixture.InvokeAsync(ready[0], "");
        await TestLogs.WaitForLineAsync(fixture.Provider, "loud", "done");
        var pieces = (await TestLogs.ReadAllAsync(fixture.Provider, "loud")).Where(m => m.Text.StartsWith('a')).Select(m => m.Text).ToList();

        Assert.All(pieces, piece => Assert.True(piece.Length <= 64 * 1024 && piece.All(c => c == 'a'), $"a piece of {piece.Length} characters"));
        Assert.Equal(3_000_000, pieces.Sum(piece => piece.Length));
    }

    [Fact]
    public async Task Log_file_is_bounded_by_rotation_and_tail_and_since_filter()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("f.log");
        using var log = new FunctionLog(path, maxBytes: 4096, NullLogger.Instance);
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

    /// <summary>A paused <c>faas logs -f | less</c> beside a chatty function: the gateway held every line for it, 100 MB a second.</summary>
    [Fact]
    public async Task A_follower_that_falls_behind_is_told_how_many_lines_it_missed_and_no_more_are_held_for_it()
    {
        using var temp = new TempDirectory();
        using var log = new FunctionLog(temp.Combine("f.log"), maxBytes: 1 << 20, NullLogger.Instance);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var follow = log.ReadAsync(new LogRequest("f", "ns") { Follow = true }, cancel.Token).GetAsyncEnumerator(cancel.Token);
        LogMessage Line(string text) => new() { Name = "f", Namespace = "ns", Instance = "a", Timestamp = DateTimeOffset.UtcNow, Text = text };
        var first = follow.MoveNextAsync();
        log.Append(Line("line 0"));
        Assert.True(await first);

        // The reader reads nothing while these come.
        for (var i = 1; i <= LogFollower.Capacity + 15_000; i++)
        {
            log.Append(Line($"line {i}"));
        }

        var read = new List<string>();
        while (read.Count < LogFollower.Capacity)
        {
            Assert.True(await follow.MoveNextAsync());
            read.Add(follow.Current.Text);
        }

        log.Append(Line("after"));
        Assert.True(await follow.MoveNextAsync());
        var notice = follow.Current.Text;
        Assert.True(await follow.MoveNextAsync());
        var after = follow.Current.Text;
        await follow.DisposeAsync();

        Assert.Equal(Enumerable.Range(1, LogFollower.Capacity).Select(i => $"line {i}"), read);
        Assert.Equal("15000 log line(s) not sent here: this reader fell 10000 lines behind", notice);
        Assert.Equal("after", after);
    }

    [Fact]
    public async Task Lines_reach_the_file_without_a_reader_and_a_file_that_cannot_be_written_loses_lines_not_the_log()
    {
        using var temp = new TempDirectory();
        var blocked = temp.Combine("logs");
        await File.WriteAllTextAsync(blocked, "a file where the log's directory should be");
        var path = Path.Combine(blocked, "f.log");
        using var log = new FunctionLog(path, maxBytes: 1 << 20, NullLogger.Instance);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var follow = log.ReadAsync(new LogRequest("f", "ns") { Follow = true }, cancel.Token).GetAsyncEnumerator(cancel.Token);
        LogMessage Line(string text) => new() { Name = "f", Namespace = "ns", Instance = "a", Timestamp = DateTimeOffset.UtcNow, Text = text };

        var next = follow.MoveNextAsync();
        log.Append(Line("lost"));
        var followed = await next ? follow.Current.Text : null;
        File.Delete(blocked);
        log.Append(Line("kept"));
        var written = await ProcessTable.EventuallyAsync(
            () => Task.FromResult(File.Exists(path) && File.ReadAllText(path).Contains("\"kept\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(5));
        await follow.DisposeAsync();

        Assert.Equal("lost", followed);
        Assert.True(written, "the line appended once the directory could be made never reached the file");
        Assert.DoesNotContain("lost", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    /// <summary>
    /// A replica's last lines are read after its function was deleted or the gateway stopped: they used to create the
    /// log (and <c>logs/NAMESPACE/</c>) again, in a state directory already deleted.
    /// </summary>
    [Fact]
    public void A_deleted_or_disposed_log_takes_no_more_lines_and_creates_nothing()
    {
        using var temp = new TempDirectory();
        LogMessage Line(string text) => new() { Name = "f", Namespace = "ns", Instance = "a", Timestamp = DateTimeOffset.UtcNow, Text = text };
        var deletedPath = temp.Combine("deleted", "f.log");
        var deleted = new FunctionLog(deletedPath, maxBytes: 1 << 20, NullLogger.Instance);
        deleted.Append(Line("before"));
        deleted.DeleteFiles();
        deleted.Append(Line("after the delete"));
        var disposedDirectory = temp.Combine("disposed");
        var disposed = new FunctionLog(Path.Combine(disposedDirectory, "f.log"), maxBytes: 1 << 20, NullLogger.Instance);
        disposed.Dispose();
        disposed.Append(Line("after the gateway stopped"));

        Assert.False(File.Exists(deletedPath), "a line after the delete wrote the log again");
        Assert.False(Directory.Exists(disposedDirectory), "a line after the dispose made the log's directory");
    }
}
