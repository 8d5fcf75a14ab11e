using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Faas.Harness.Kubernetes;

/// <summary>
/// A double of the one part of a kubelet that the API server reaches for pod logs: envtest ships no kubelet, and no
/// container runtime runs here. It is a Node of <see cref="KubeControlPlane"/> (address 127.0.0.1, its port as the
/// kubelet endpoint); its pods are bound to it through the binding subresource, as the scheduler does, and reported
/// Running through the status subresource, as a kubelet does. The API server reaches it over TLS, verifying its serving
/// certificate against the cluster's CA and presenting its own client certificate, which the double requires.
/// <c>GET /containerLogs/NAMESPACE/POD/CONTAINER</c> follows the kubelet's rules (pkg/kubelet/server and
/// kuberuntime/logs): 404 for a pod it does not run or a container not in that pod, <c>tailLines</c> taken first and then
/// <c>sinceSeconds</c>/<c>sinceTime</c>, <c>timestamps=true</c> prefixing each line with its RFC 3339 time (nanoseconds,
/// trailing zeros dropped) and a space, <c>follow=true</c> keeping the response open for lines written later, and
/// 400 for a container still waiting to start. Pods can also be reported as a kubelet reports failures: a container
/// in CrashLoopBackOff with its last termination, or one that cannot start (ErrImagePull and the like).
/// </summary>
public sealed class KubeletDouble : IAsyncDisposable
{
    private readonly KubeControlPlane _cluster;
    private readonly WebApplication _server;
    private readonly ConcurrentDictionary<(string Namespace, string Pod), RunningPod> _pods = new();

    private KubeletDouble(KubeControlPlane cluster, WebApplication server, string nodeName, int port)
    {
        _cluster = cluster;
        _server = server;
        NodeName = nodeName;
        Port = port;
    }

    public string NodeName { get; }

    public int Port { get; }

    /// <summary>Log requests the API server sent, as their path and query.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<KubeletDouble> StartAsync(KubeControlPlane cluster)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = cluster.Certificates.Server,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (certificate, _, _) => IssuedBy(certificate, cluster.Certificates.Authority),
        })));
        var server = builder.Build();
        KubeletDouble? kubelet = null;
        server.MapGet("/containerLogs/{ns}/{pod}/{container}", (HttpContext context, string ns, string pod, string container) => kubelet!.ServeLogAsync(context, ns, pod, container));
        await server.StartAsync();
        var port = new Uri(server.Urls.Single()).Port;
        kubelet = new KubeletDouble(cluster, server, $"faas-node-{Guid.NewGuid().ToString("N")[..6]}", port);
        try
        {
            await kubelet.RegisterNodeAsync();
            return kubelet;
        }
        catch
        {
            await kubelet.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> pods of the function exist (the controller-manager makes them), runs those
    /// not on a node yet, and returns all their names, sorted.
    /// </summary>
    public async Task<List<string>> RunPodsOfAsync(string ns, string function, int count)
    {
        var pods = await PodsOfAsync(ns, function, count);
        foreach (var pod in pods.Where(pod => pod.Spec.NodeName is null))
        {
            await RunAsync(ns, pod.Metadata.Name);
        }

        return [.. pods.Select(pod => pod.Metadata.Name).Order(StringComparer.Ordinal)];
    }

    /// <summary>Waits until <paramref name="count"/> pods of the function exist and returns their names, sorted, without running any.</summary>
    public async Task<List<string>> PendingPodsOfAsync(string ns, string function, int count) =>
        [.. (await PodsOfAsync(ns, function, count)).Select(pod => pod.Metadata.Name).Order(StringComparer.Ordinal)];

    /// <summary>Binds the pod to this node and reports it Running with its containers started, as scheduler and kubelet would.</summary>
    public async Task RunAsync(string ns, string pod)
    {
        var spec = await BindAsync(ns, pod, waiting: null);
        var now = DateTime.UtcNow;
        await ReportAsync(ns, pod, spec, "Running", ready: true, restarts: 0, new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = now } });
    }

    /// <summary>
    /// Binds the pod here and reports what a kubelet reports of a container that crashed <paramref name="restarts"/>
    /// times: the pod Running but not ready, the container waiting in CrashLoopBackOff, its last termination kept.
    /// </summary>
    public async Task CrashLoopAsync(string ns, string pod, int exitCode, int restarts, string message)
    {
        var spec = await BindAsync(ns, pod, waiting: null);
        var crashed = DateTime.UtcNow;
        await ReportAsync(ns, pod, spec, "Running", ready: false, restarts,
            new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = $"back-off 40s restarting failed container={spec.Containers[0].Name} pod={pod}" } },
            new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = "Error", Message = message, StartedAt = crashed.AddSeconds(-1), FinishedAt = crashed } });
    }

    /// <summary>Binds the pod here and reports its container unable to start (<paramref name="reason"/> such as ErrImagePull): the pod Pending, its log not readable.</summary>
    public async Task FailToStartAsync(string ns, string pod, string reason, string message)
    {
        var spec = await BindAsync(ns, pod, waiting: message);
        await ReportAsync(ns, pod, spec, "Pending", ready: false, restarts: 0, new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } });
    }

    /// <summary>Adds a line to a container's log, stamped <paramref name="at"/>; followers get it at once.</summary>
    public void Write(string ns, string pod, string container, DateTimeOffset at, string text)
    {
        var running = _pods.TryGetValue((ns, pod), out var found) ? found : throw new InvalidOperationException($"pod {ns}/{pod} does not run on {NodeName}");
        running.Log(container).Add(new ContainerLogLine(at.UtcDateTime, text));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in _pods.Values)
        {
            pod.Close();
        }

        await _server.StopAsync();
        await _server.DisposeAsync();
        try
        {
            await _cluster.Admin.CoreV1.DeleteNodeAsync(NodeName);
        }
        catch (k8s.Autorest.HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private async Task<IList<V1Pod>> PodsOfAsync(string ns, string function, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var pods = await ListAsync();
        while (pods.Count != count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            pods = await ListAsync();
        }

        return pods.Count == count ? pods : throw new TimeoutException($"function {function} in {ns} has {pods.Count} pods after 20 s, not {count}");

        async Task<IList<V1Pod>> ListAsync() => (await _cluster.Admin.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"faas_function={function}")).Items;
    }

    private async Task<V1PodSpec> BindAsync(string ns, string pod, string? waiting)
    {
        var admin = _cluster.Admin;
        await admin.CoreV1.CreateNamespacedPodBindingAsync(new V1Binding
        {
            Metadata = new V1ObjectMeta { Name = pod },
            Target = new V1ObjectReference { Kind = "Node", Name = NodeName },
        }, pod, ns);
        var spec = (await admin.CoreV1.ReadNamespacedPodAsync(pod, ns)).Spec;
        _pods[(ns, pod)] = new RunningPod([.. spec.Containers.Select(container => container.Name)], waiting);
        return spec;
    }

    private Task ReportAsync(string ns, string pod, V1PodSpec spec, string phase, bool ready, int restarts, V1ContainerState state, V1ContainerState? last = null)
    {
        var now = DateTime.UtcNow;
        var status = new V1PodStatus
        {
            Phase = phase,
            HostIP = "127.0.0.1",
            StartTime = now,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = now }],
            ContainerStatuses = [.. spec.Containers.Select(container => new V1ContainerStatus
            {
                Name = container.Name,
                Image = container.Image,
                ImageID = "",
                Ready = ready,
                Started = ready,
                RestartCount = restarts,
                State = state,
                LastState = last,
            })],
        };
        return _cluster.Admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new V1Pod { Status = status }, V1Patch.PatchType.MergePatch), pod, ns);
    }

    private async Task RegisterNodeAsync()
    {
        var admin = _cluster.Admin;
        await admin.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = NodeName } });
        var status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }],
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = Port } },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastHeartbeatTime = DateTime.UtcNow, LastTransitionTime = DateTime.UtcNow }],
        };
        await admin.CoreV1.PatchNodeStatusAsync(new V1Patch(new V1Node { Status = status }, V1Patch.PatchType.MergePatch), NodeName);
    }

    private async Task ServeLogAsync(HttpContext context, string ns, string pod, string container)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        if (!_pods.TryGetValue((ns, pod), out var running))
        {
            await Error(context, StatusCodes.Status404NotFound, $"pod \"{pod}\" does not exist");
            return;
        }

        if (!running.Has(container))
        {
            await Error(context, StatusCodes.Status404NotFound, $"container \"{container}\" not found in pod \"{pod}\"");
            return;
        }

        if (running.Waiting is { } waiting)
        {
            await Error(context, StatusCodes.Status400BadRequest, $"container \"{container}\" in pod \"{pod}\" is waiting to start: {waiting}");
            return;
        }

        var query = context.Request.Query;
        var tail = query.TryGetValue("tailLines", out var tailText) ? int.Parse(tailText!, CultureInfo.InvariantCulture) : (int?)null;
        var since = query.TryGetValue("sinceSeconds", out var seconds) ? DateTime.UtcNow.AddSeconds(-int.Parse(seconds!, CultureInfo.InvariantCulture))
            : query.TryGetValue("sinceTime", out var time) ? DateTime.Parse(time!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) : (DateTime?)null;
        if (tail < 0)
        {
            await Error(context, StatusCodes.Status422UnprocessableEntity, "tailLines must be a non-negative integer");
            return;
        }

        var timestamps = query["timestamps"] == "true";
        var follow = query["follow"] == "true";
        context.Response.ContentType = "text/plain";
        var log = running.Log(container);
        var (lines, later) = log.Read(tail, follow);
        foreach (var line in lines.Where(line => since is null || line.At >= since))
        {
            await context.Response.WriteAsync(line.Format(timestamps), context.RequestAborted);
        }

        await context.Response.Body.FlushAsync(context.RequestAborted);
        if (later is null)
        {
            return;
        }

        try
        {
            await foreach (var line in later.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync(line.Format(timestamps), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            log.Unfollow(later);
        }
    }

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(message);
    }

    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <param name="waiting">Why its containers have not started, or null once they run.</param>
    private sealed class RunningPod(IReadOnlyList<string> containers, string? waiting)
    {
        public string? Waiting => waiting;

        private readonly ConcurrentDictionary<string, ContainerLog> _logs = new(containers.Select(name => KeyValuePair.Create(name, new ContainerLog())));

        public bool Has(string container) => _logs.ContainsKey(container);

        public ContainerLog Log(string container) => _logs.TryGetValue(container, out var log) ? log : throw new InvalidOperationException($"no container {container} in this pod");

        public void Close()
        {
            foreach (var log in _logs.Values)
            {
                log.Close();
            }
        }
    }
}
