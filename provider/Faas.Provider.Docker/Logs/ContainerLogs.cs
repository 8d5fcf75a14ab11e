using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Docker.Engine;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker.Logs;

/// <summary>
/// A function's log, read from the engine: every replica container's stdout and stderr (the multiplexed stream,
/// with the engine's timestamps), merged in time order. Following also picks up containers started later (a
/// replacement, a scale-up).
/// </summary>
public sealed class ContainerLogs(DockerEngine engine)
{
    private static readonly TimeSpan DiscoveryInterval = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<LogMessage> ReadAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = new FunctionKey(request.Name, request.Namespace);
        var containers = await ReplicasAsync(key, request.Instance, cancellationToken);
        var history = new List<LogMessage>();
        foreach (var container in containers)
        {
            await foreach (var message in LinesAsync(key, container, follow: false, request, cancellationToken))
            {
                history.Add(message);
            }
        }

        var ordered = history.OrderBy(message => message.Timestamp).ToList();
        foreach (var message in request.Tail is { } tail ? ordered.TakeLast(tail) : ordered)
        {
            yield return message;
        }

        if (!request.Follow)
        {
            yield break;
        }

        var live = Channel.CreateUnbounded<LogMessage>();
        using var following = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var discovery = FollowAllAsync(key, request, live.Writer, following.Token);
        try
        {
            await foreach (var message in live.Reader.ReadAllAsync(cancellationToken))
            {
                yield return message;
            }
        }
        finally
        {
            await following.CancelAsync();
            await discovery;
        }
    }

    /// <summary>Follows every replica container, the ones there now (from now on) and the ones that appear later (from their start).</summary>
    private async Task FollowAllAsync(FunctionKey key, LogRequest request, ChannelWriter<LogMessage> writer, CancellationToken cancellationToken)
    {
        var followed = new Dictionary<string, Task>();
        var fromNow = request with { Since = DateTimeOffset.UtcNow, Tail = 0 };
        var first = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var container in await ReplicasAsync(key, request.Instance, cancellationToken))
                {
                    if (!followed.ContainsKey(container.Id))
                    {
                        followed[container.Id] = PumpAsync(key, container, first ? fromNow : request with { Since = null, Tail = null }, writer, cancellationToken);
                    }
                }

                first = false;
                await Task.Delay(DiscoveryInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (DockerException)
        {
        }

        await Task.WhenAll(followed.Values);
    }

    private async Task PumpAsync(FunctionKey key, ContainerSummary container, LogRequest request, ChannelWriter<LogMessage> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in LinesAsync(key, container, follow: true, request, cancellationToken))
            {
                await writer.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or DockerException or HttpRequestException or IOException)
        {
        }
    }

    private async IAsyncEnumerable<LogMessage> LinesAsync(FunctionKey key, ContainerSummary container, bool follow, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var instance = InstanceOf(container);
        var pending = new Dictionary<LogStream, StringBuilder>();
        await foreach (var frame in engine.LogsAsync(container.Id, follow, request.Tail, request.Since, timestamps: true, cancellationToken))
        {
            var buffer = pending.TryGetValue(frame.Stream, out var existing) ? existing : pending[frame.Stream] = new StringBuilder();
            buffer.Append(Encoding.UTF8.GetString(frame.Data));
            var text = buffer.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0)
            {
                continue;
            }

            buffer.Clear().Append(text, end + 1, text.Length - end - 1);
            foreach (var line in text[..end].Split('\n'))
            {
                yield return TimestampedLine.Parse(key, instance, line);
            }
        }
    }

    private async Task<List<ContainerSummary>> ReplicasAsync(FunctionKey key, string? instance, CancellationToken cancellationToken)
    {
        var containers = await engine.ListContainersAsync([.. ContainerLabels.Of(key), $"{ContainerLabels.Role}={ContainerLabels.ReplicaRole}"], cancellationToken);
        return instance is null ? containers : [.. containers.Where(container => InstanceOf(container) == instance)];
    }

    private static string InstanceOf(ContainerSummary container) => ContainerNames.InstanceOf(container.Names.FirstOrDefault() ?? container.Id);
}
