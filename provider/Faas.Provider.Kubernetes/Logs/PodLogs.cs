using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Faas.Provider.Kubernetes.Cluster;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Wire;
using k8s;
using k8s.Models;

namespace Faas.Provider.Kubernetes.Logs;

/// <summary>
/// A function's log: each of its pods' log (timestamped by the kubelet), merged. A pod whose log cannot be read (not
/// started yet, its node gone) is left out rather than failing the answer; a gateway the cluster does not allow to read
/// pods or their logs fails it, naming the permission (an empty log would hide that). Following watches the function's
/// pods, as faas-netes does: a pod that starts running later is followed from then on, and the stream stays open while
/// no pod runs.
/// </summary>
internal sealed class PodLogs(IKubernetes client)
{
    public async IAsyncEnumerable<LogMessage> ReadAsync(FunctionKey function, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var selector = $"{FunctionObjects.FunctionLabel}={function.Name}";
        int? sinceSeconds = request.Since is { } since ? Math.Max(1, (int)Math.Ceiling((DateTimeOffset.UtcNow - since).TotalSeconds)) : null;
        var tail = request.Tail is > 0 ? request.Tail : null;
        if (!request.Follow)
        {
            var pods = await ApiErrors.CallAsync($"list the pods of function {function.Name} in namespace {function.Namespace}",
                () => client.CoreV1.ListNamespacedPodAsync(function.Namespace, labelSelector: selector, cancellationToken: cancellationToken));
            var all = new List<LogMessage>();
            foreach (var pod in pods.Items.Where(pod => Wanted(pod, request)))
            {
                all.AddRange(await ReadPodAsync(function, pod.Metadata.Name, sinceSeconds, tail, cancellationToken));
            }

            var ordered = all.OrderBy(message => message.Timestamp).ToList();
            foreach (var message in tail is { } last ? ordered.TakeLast(last) : ordered)
            {
                yield return message;
            }

            yield break;
        }

        var merged = Channel.CreateUnbounded<LogMessage>();
        using var following = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pumps = new List<Task>();
        var followed = new HashSet<string>(StringComparer.Ordinal);
        var watching = Task.Run(async () =>
        {
            while (!following.IsCancellationRequested)
            {
                try
                {
                    await foreach (var (_, pod) in client.CoreV1.WatchListNamespacedPodAsync(function.Namespace, labelSelector: selector,
                        onError: _ => { }, cancellationToken: following.Token))
                    {
                        if (pod.Status?.Phase == "Running" && Wanted(pod, request) && followed.Add(pod.Metadata.Name))
                        {
                            pumps.Add(PumpAsync(function, pod.Metadata.Name, sinceSeconds, tail, merged.Writer, following.Token));
                        }
                    }
                }
                catch (Exception error) when (NotAllowed(error, $"watch the pods of function {function.Name} in namespace {function.Namespace}") is { } refused)
                {
                    merged.Writer.TryComplete(refused);
                    return;
                }
                catch (Exception) when (!following.IsCancellationRequested)
                {
                    // The watch failed (the API server away): watch again shortly; the stream stays open meanwhile.
                    await Task.Delay(TimeSpan.FromSeconds(1), following.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }, CancellationToken.None);
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
            await watching;
            await Task.WhenAll(pumps);
        }
    }

    private static bool Wanted(V1Pod pod, LogRequest request) => request.Instance is null || pod.Metadata.Name == request.Instance;

    private async Task<List<LogMessage>> ReadPodAsync(FunctionKey function, string pod, int? sinceSeconds, int? tail, CancellationToken cancellationToken)
    {
        var lines = new List<LogMessage>();
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, function.Namespace, follow: false, sinceSeconds: sinceSeconds, tailLines: tail, timestamps: true, cancellationToken: cancellationToken);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                lines.Add(TimestampedLine.Parse(function, pod, line));
            }
        }
        catch (Exception error) when (NotAllowed(error, LogAction(function, pod)) is { } refused)
        {
            throw refused;
        }
        catch (Exception error) when (ApiErrors.Map(error, LogAction(function, pod)) is not null)
        {
            // This pod's log cannot be read now (its container has not started, or its node is gone): leave it out.
        }

        return lines;
    }

    private async Task PumpAsync(FunctionKey function, string pod, int? sinceSeconds, int? tail, ChannelWriter<LogMessage> writer, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, function.Namespace, follow: true, sinceSeconds: sinceSeconds, tailLines: tail, timestamps: true, cancellationToken: cancellationToken);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                await writer.WriteAsync(TimestampedLine.Parse(function, pod, line), cancellationToken);
            }
        }
        catch (Exception error) when (NotAllowed(error, LogAction(function, pod)) is { } refused)
        {
            writer.TryComplete(refused);
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException || ApiErrors.Map(error, LogAction(function, pod)) is not null)
        {
        }
    }

    private static string LogAction(FunctionKey function, string pod) => $"read the log of pod {pod} in namespace {function.Namespace}";

    /// <summary>The failure to report when the cluster refused the gateway itself (401, 403), rather than one pod's state.</summary>
    private static ProviderException? NotAllowed(Exception error, string action) =>
        ApiErrors.IsStatus(error, System.Net.HttpStatusCode.Forbidden) || ApiErrors.IsStatus(error, System.Net.HttpStatusCode.Unauthorized) ? ApiErrors.Map(error, action) : null;
}
