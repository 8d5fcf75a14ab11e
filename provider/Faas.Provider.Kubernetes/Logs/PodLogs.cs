using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Faas.Provider.Kubernetes.Client;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Wire;

namespace Faas.Provider.Kubernetes.Logs;

/// <summary>A function's log: each of its pods' log (timestamped by the kubelet), merged; followed pods stream side by side.</summary>
public sealed class PodLogs(KubeResources api)
{
    public async IAsyncEnumerable<LogMessage> ReadAsync(FunctionKey function, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pods = (await api.Pods.ListAsync(function.Namespace, $"{FunctionObjects.FunctionLabel}={function.Name}", cancellationToken)).Items
            .Where(pod => request.Instance is null || pod.Metadata.Name == request.Instance).ToList();
        long? sinceSeconds = request.Since is { } since ? Math.Max(1, (long)Math.Ceiling((DateTimeOffset.UtcNow - since).TotalSeconds)) : null;
        if (!request.Follow)
        {
            var all = new List<LogMessage>();
            foreach (var pod in pods)
            {
                await foreach (var line in api.PodLogAsync(function.Namespace, pod.Metadata.Name!, follow: false, sinceSeconds, request.Tail, cancellationToken))
                {
                    all.Add(TimestampedLine.Parse(function, pod.Metadata.Name!, line));
                }
            }

            var ordered = all.OrderBy(message => message.Timestamp).ToList();
            foreach (var message in request.Tail is { } tail ? ordered.TakeLast(tail) : ordered)
            {
                yield return message;
            }

            yield break;
        }

        var merged = Channel.CreateUnbounded<LogMessage>();
        using var following = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pumps = pods.Select(pod => PumpAsync(function, pod.Metadata.Name!, sinceSeconds, request.Tail, merged.Writer, following.Token)).ToList();
        _ = Task.WhenAll(pumps).ContinueWith(_ => merged.Writer.TryComplete(), TaskScheduler.Default);
        try
        {
            await foreach (var message in merged.Reader.ReadAllAsync(cancellationToken))
            {
                yield return message;
            }
        }
        finally
        {
            await following.CancelAsync();
            await Task.WhenAll(pumps);
        }
    }

    private async Task PumpAsync(FunctionKey function, string pod, long? sinceSeconds, int? tail, ChannelWriter<LogMessage> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var line in api.PodLogAsync(function.Namespace, pod, follow: true, sinceSeconds, tail, cancellationToken))
            {
                await writer.WriteAsync(TimestampedLine.Parse(function, pod, line), cancellationToken);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or KubernetesException or HttpRequestException or IOException)
        {
        }
    }
}
