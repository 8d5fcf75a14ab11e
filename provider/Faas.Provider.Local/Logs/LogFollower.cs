using System.Threading.Channels;
using Faas.Provider.Wire;

namespace Faas.Provider.Local.Logs;

/// <summary>
/// One reader following a function's log: the lines it has not read yet, at most <see cref="Capacity"/>. A reader that
/// falls further behind (a paused <c>faas logs -f | less</c>) misses the lines after that and gets one line in their
/// place saying how many, rather than the gateway holding a chatty function's every line for it (it grew by 100 MB a
/// second). Written under the log's lock; read by one reader.
/// </summary>
internal sealed class LogFollower
{
    public const int Capacity = 10_000;

    private readonly Channel<LogMessage> _lines = Channel.CreateBounded<LogMessage>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private long _missed;

    public ChannelReader<LogMessage> Lines => _lines.Reader;

    /// <summary>Queues <paramref name="message"/>, after a line counting those missed since the reader last had room.</summary>
    public void Offer(LogMessage message)
    {
        if (_missed > 0)
        {
            if (!_lines.Writer.TryWrite(message with { Text = $"{_missed} log line(s) not sent here: this reader fell {Capacity} lines behind" }))
            {
                _missed++;
                return;
            }

            _missed = 0;
        }

        if (!_lines.Writer.TryWrite(message))
        {
            _missed++;
        }
    }

    public void End() => _lines.Writer.TryComplete();
}
