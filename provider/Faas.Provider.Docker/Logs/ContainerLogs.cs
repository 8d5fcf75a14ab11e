using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using Faas.Provider.Docker.Containers;
using Faas.Provider.Wire;

namespace Faas.Provider.Docker.Logs;

/// <summary>
/// A function's log, read from the engine: every replica container's stdout and stderr (the multiplexed stream,
/// with the engine's timestamps), merged in time order. Following also picks up containers started later (a
/// replacement, a scale-up).
/// </summary>
internal sealed class ContainerLogs(IDockerClient engine)
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
                    if (!followed.ContainsKey(container.ID))
                    {
                        followed[container.ID] = PumpAsync(key, container, first ? fromNow : request with { Since = null, Tail = null }, writer, cancellationToken);
                    }
                }

                first = false;
                await Task.Delay(DiscoveryInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (DockerApiException)
        {
        }

        await Task.WhenAll(followed.Values);
    }

    private async Task PumpAsync(FunctionKey key, ContainerListResponse container, LogRequest request, ChannelWriter<LogMessage> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in LinesAsync(key, container, follow: true, request, cancellationToken))
            {
                await writer.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or DockerApiException or HttpRequestException or IOException)
        {
        }
    }

    private async IAsyncEnumerable<LogMessage> LinesAsync(FunctionKey key, ContainerListResponse container, bool follow, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var instance = InstanceOf(container);
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Timestamps = true,
            Follow = follow,
            Tail = request.Tail?.ToString(CultureInfo.InvariantCulture) ?? "all",
            Since = request.Since?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        using var stream = await engine.Containers.GetContainerLogsAsync(container.ID, parameters, cancellationToken);
        // Per stream: a decoder (a character may span two reads) and the text after the last complete line.
        var pending = new Dictionary<MultiplexedStream.TargetStream, (Decoder Decoder, StringBuilder Text)>();
        var buffer = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                yield break;
            }

            if (!pending.TryGetValue(read.Target, out var state))
            {
                state = pending[read.Target] = (Encoding.UTF8.GetDecoder(), new StringBuilder());
            }

            var text = state.Text.Append(chars, 0, state.Decoder.GetChars(buffer, 0, read.Count, chars, 0));
            var complete = text.ToString();
            var end = complete.LastIndexOf('\n');
            if (end < 0)
            {
                continue;
            }

            text.Clear().Append(complete, end + 1, complete.Length - end - 1);
            foreach (var line in complete[..end].Split('\n'))
            {
                yield return TimestampedLine.Parse(key, instance, line);
            }
        }
    }

    private async Task<List<ContainerListResponse>> ReplicasAsync(FunctionKey key, string? instance, CancellationToken cancellationToken)
    {
        var containers = await engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = ContainerLabels.ReplicasOf(key) }, cancellationToken);
        return [.. containers.Where(container => instance is null || InstanceOf(container) == instance)];
    }

    private static string InstanceOf(ContainerListResponse container) => ContainerNames.InstanceOf(container.Names.FirstOrDefault() ?? container.ID);
}
