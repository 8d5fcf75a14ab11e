using System.Collections.Concurrent;
using System.Globalization;
using Faas.Provider.Kubernetes.Cluster;
using Faas.Provider.Kubernetes.Objects;
using Faas.Provider.Wire;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Faas.Provider.Kubernetes.Pods;

/// <summary>
/// What a function's pods have been through, as their kubelets report it, for the fields the host backends fill from
/// their own supervision: <c>restarts</c> (summed over the containers), <c>lastExit</c> (the latest termination, or why
/// a container cannot start) and <c>crashLooping</c> (a container the kubelet holds back in CrashLoopBackOff, or one
/// that cannot start: its image cannot be pulled, its configuration names something missing), so that an invocation
/// of a function that keeps failing is answered at once rather than after the scale-from-zero wait. Pods are read only
/// for a function that wants replicas and has none ready, at most once per <see cref="Freshness"/> (invocations and
/// async requests ask per request, and share a read); a read that fails or takes over <see cref="ReadTimeout"/> leaves
/// the fields out rather than failing or holding up the status.
/// </summary>
internal sealed partial class PodHealth(IKubernetes client, ILogger log, TimeProvider clock)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    /// <summary>A pod list that takes longer is given up: the status goes out without the fields (an invocation must not wait on a slow API server).</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Waiting reasons after which the container will not serve without a change (kubelet and image-puller reasons).</summary>
    private static readonly HashSet<string> Failing = ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError"];

    /// <summary>The last read of each function's pods, shared by the callers that come while it is fresh.</summary>
    private readonly ConcurrentDictionary<FunctionKey, Reading> _readings = new();

    /// <summary><paramref name="status"/> of a function without a ready endpoint, with its pods' health when it wants replicas and has none available.</summary>
    public async Task<FunctionStatus> AddAsync(FunctionKey function, FunctionStatus status, CancellationToken cancellationToken)
    {
        if (status.Replicas == 0 || status.AvailableReplicas > 0)
        {
            return status;
        }

        var now = clock.GetUtcNow();
        foreach (var (stale, _) in _readings.Where(entry => entry.Key != function && now - entry.Value.StartedAt > Freshness))
        {
            _readings.TryRemove(stale, out _);
        }

        var reading = _readings.AddOrUpdate(function, key => Start(key, now, previous: null),
            (key, current) => now - current.StartedAt > Freshness ? Start(key, now, current) : current);
        return await reading.Health.WaitAsync(cancellationToken) is { } health
            ? status with { Restarts = health.Restarts, LastExit = health.LastExit, CrashLooping = health.CrashLooping }
            : status;
    }

    private Reading Start(FunctionKey function, DateTimeOffset now, Reading? previous) =>
        new(now, ReadAsync(function, wasFailing: previous?.Health is { IsCompletedSuccessfully: true, Result: null }));

    /// <summary>The pods' health, or null when they could not be read (logged when reading starts to fail, not at every try).</summary>
    private async Task<Health?> ReadAsync(FunctionKey function, bool wasFailing)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            var pods = await ApiErrors.CallAsync($"list the pods of function {function.Name} in namespace {function.Namespace}",
                () => client.CoreV1.ListNamespacedPodAsync(function.Namespace, labelSelector: $"{FunctionObjects.FunctionLabel}={function.Name}", cancellationToken: timeout.Token));
            return Of(pods.Items);
        }
        catch (Exception error) when (error is ProviderException || (error is OperationCanceledException && timeout.IsCancellationRequested))
        {
            if (!wasFailing)
            {
                LogPodsUnread(log, function.ToString(), error is ProviderException ? error.Message : $"no answer within {ReadTimeout.TotalSeconds:0} s");
            }

            return null;
        }
    }

    private sealed record Reading(DateTimeOffset StartedAt, Task<Health?> Health);

    /// <summary>The health of one function's pods.</summary>
    private static Health Of(IEnumerable<V1Pod> pods)
    {
        var containers = pods.SelectMany(pod => pod.Status?.ContainerStatuses ?? []).ToList();
        var failing = containers.Select(container => container.State?.Waiting).FirstOrDefault(waiting => waiting?.Reason is { } reason && Failing.Contains(reason));
        var terminated = containers.Select(container => container.LastState?.Terminated ?? container.State?.Terminated).OfType<V1ContainerStateTerminated>()
            .MaxBy(termination => termination.FinishedAt ?? DateTime.MinValue);
        var lastExit = failing is { Reason: not "CrashLoopBackOff" }
            ? $"{failing.Reason}: {failing.Message}"
            : terminated is null ? null : Termination(terminated);
        return new Health(containers.Sum(container => container.RestartCount), lastExit, failing is not null);
    }

    private readonly record struct Health(int Restarts, string? LastExit, bool CrashLooping);

    /// <summary>As the host backends word an exit: the code, the kubelet's reason, when, and the container's last words.</summary>
    private static string Termination(V1ContainerStateTerminated terminated)
    {
        var at = terminated.FinishedAt is { } finished ? $" at {new DateTimeOffset(DateTime.SpecifyKind(finished, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture)}" : "";
        var reason = terminated.Reason is { Length: > 0 } named ? $" ({named})" : "";
        var said = terminated.Message is { Length: > 0 } message ? $": {Shortened(message.Trim())}" : "";
        return $"exit code {terminated.ExitCode}{reason}{at}{said}";
    }

    /// <summary>A container's termination message can be 4 KiB; the status keeps its start, as the host backends keep a line.</summary>
    private static string Shortened(string message) => message.Length <= 300 ? message : message[..300] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the pods of {Function} for their restarts and failures: {Problem}")]
    private static partial void LogPodsUnread(ILogger logger, string function, string problem);
}
