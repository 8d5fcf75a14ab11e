using System.Globalization;
using System.Threading.Channels;

namespace Faas.Harness.Kubernetes;

/// <summary>A line of a container's log and when it was written.</summary>
internal sealed record ContainerLogLine(DateTime At, string Text)
{
    public string Format(bool timestamps) => timestamps ? $"{At.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)}Z {Text}\n" : Text + "\n";
}

/// <summary>One container's log: its lines so far, and the channels of those following it.</summary>
internal sealed class ContainerLog
{
    private readonly List<ContainerLogLine> _lines = [];
    private readonly List<Channel<ContainerLogLine>> _followers = [];

    public void Add(ContainerLogLine line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var follower in _followers)
            {
                follower.Writer.TryWrite(line);
            }
        }
    }

    /// <summary>The last <paramref name="tail"/> lines (all when null), and when following, the lines written after them.</summary>
    public (List<ContainerLogLine> Lines, Channel<ContainerLogLine>? Later) Read(int? tail, bool follow)
    {
        lock (_lines)
        {
            var lines = tail is { } last ? _lines.TakeLast(last).ToList() : [.. _lines];
            Channel<ContainerLogLine>? later = null;
            if (follow)
            {
                later = Channel.CreateUnbounded<ContainerLogLine>();
                _followers.Add(later);
            }

            return (lines, later);
        }
    }

    public void Unfollow(Channel<ContainerLogLine> follower)
    {
        lock (_lines)
        {
            _followers.Remove(follower);
        }
    }

    public void Close()
    {
        lock (_lines)
        {
            foreach (var follower in _followers)
            {
                follower.Writer.TryComplete();
            }
        }
    }
}
