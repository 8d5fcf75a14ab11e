using System.Text;
using Faas.Watchdog.Logging;

namespace Faas.Watchdog.Tests.Logging;

/// <summary>The log's batching: every line, in order, in a few writes; nothing written while idle; nothing held back at close; a reader that falls behind costs lines, counted, not requests.</summary>
public class WatchdogLogTests
{
    [Fact]
    public async Task Lines_go_out_whole_and_in_order_on_their_streams()
    {
        var (stdout, stderr) = (new RecordingStream(), new RecordingStream());
        var log = new WatchdogLog(prefixLogs: true, logInvocations: true, stdout, stderr);

        log.Request("GET", "/a?x=é", 200, 2, TimeSpan.FromTicks(12_345));
        log.Request("POST", "/", 502, null, TimeSpan.FromSeconds(1.5));
        log.FunctionOutput(FunctionStream.Stdout, "from the function");
        log.FunctionOutput(FunctionStream.Stderr, "a warning");
        await log.DisposeAsync();

        var errors = stderr.Text.Split('\n');
        Assert.Equal(4, errors.Length);
        Assert.Matches(@"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d GET /a\?x=é - 200 - ContentLength: 2 \(0\.0012s\)$", errors[0]);
        Assert.Matches(@"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d POST / - 502 - ContentLength: - \(1\.5000s\)$", errors[1]);
        Assert.Matches(@"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d stderr: a warning$", errors[2]);
        Assert.Equal("", errors[3]);
        Assert.Matches(@"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d stdout: from the function\n$", stdout.Text);
    }

    [Fact]
    public async Task Closing_the_log_writes_what_is_waiting_at_once_rather_than_after_the_batch_rest()
    {
        var stderr = new RecordingStream();
        var log = new WatchdogLog(prefixLogs: false, logInvocations: true, new RecordingStream(), stderr, batchInterval: TimeSpan.FromHours(1));

        log.Info("draining: 0 request(s) in flight");
        await log.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.EndsWith("draining: 0 request(s) in flight\n", stderr.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_of_lines_goes_out_in_a_few_writes_and_an_idle_log_writes_nothing()
    {
        var (stdout, stderr) = (new RecordingStream(), new RecordingStream());
        var log = new WatchdogLog(prefixLogs: false, logInvocations: true, stdout, stderr);

        await Task.Delay(200);
        Assert.Equal(0, stderr.Writes);

        var logging = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5000; i++)
        {
            log.Request("GET", $"/{i}", 200, 2, TimeSpan.Zero);
        }

        // A batch per 50 ms the burst took (one, unless the machine is slow), and the last one at the end.
        var batches = 2 + (int)(logging.ElapsedMilliseconds / 50);
        await log.DisposeAsync();
        var lines = stderr.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"GET /{i} - 200"), lines.Select(line => line[20..].Split(" - Content")[0]));
        Assert.InRange(stderr.Writes, 1, batches);
    }

    [Fact]
    public async Task Lines_past_what_a_stalled_reader_can_be_owed_are_dropped_and_counted()
    {
        var stderr = new RecordingStream { Stalled = new TaskCompletionSource() };
        var log = new WatchdogLog(prefixLogs: false, logInvocations: true, new RecordingStream(), stderr);
        var line = new string('x', 1000);

        log.FunctionOutput(FunctionStream.Stderr, "first");
        await stderr.FirstWrite.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 5000; i++)
        {
            log.FunctionOutput(FunctionStream.Stderr, line);
        }

        stderr.Stalled.SetResult();
        await log.DisposeAsync();

        var lines = stderr.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var kept = lines.Count(l => l == line);
        Assert.InRange(kept, 4000, 4200);
        Assert.Matches($@"^\d{{4}}/\d\d/\d\d \d\d:\d\d:\d\d {5000 - kept} log line\(s\) dropped: the log's reader fell 4 MiB behind$", lines[^1]);
    }

    /// <summary>Keeps what is written and counts the writes; can hold writes until released, as a pipe nobody reads does.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _written = new();

        public TaskCompletionSource? Stalled { get; init; }

        public TaskCompletionSource FirstWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Writes { get; private set; }

        public string Text => Encoding.UTF8.GetString(_written.ToArray());

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            FirstWrite.TrySetResult();
            if (Stalled is not null)
            {
                await Stalled.Task;
            }

            Writes++;
            _written.Write(buffer.Span);
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the log writes asynchronously");

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
