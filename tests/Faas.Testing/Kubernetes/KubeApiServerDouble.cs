using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Faas.Posix;
using Faas.Provider.Kubernetes.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Faas.Testing.Kubernetes;

/// <summary>
/// A TEST DOUBLE of the Kubernetes API server (no real one can run on these machines), in-process on a free 127.0.0.1
/// port, serving the resources the backend uses: apps/v1 deployments (and their scale subresource), v1 services,
/// secrets, pods (and their log), namespaces, discovery.k8s.io/v1 endpointslices. It enforces what the backend relies
/// on, as the real server does:
/// - a bearer token, or over HTTPS a client certificate its CA signed, on every request (401 Unauthorized Status
///   otherwise); resources listed in <see cref="Forbidden"/>
///   answer 403 Forbidden, as RBAC would;
/// - a new resourceVersion on every write, from one counter; PUT needs the object's current resourceVersion (a stale
///   one is 409 Conflict, a missing one 422); POST of an existing name is 409 AlreadyExists; unknown names are 404
///   NotFound; names that are not DNS-1123 labels are 422 Invalid with a field cause; writes into a missing namespace 404;
/// - meta/v1 Status bodies with the real reasons and messages; camelCase JSON as sent by the real API;
/// - label selectors (equality-based) on list and watch; list metadata.resourceVersion;
/// - the scale subresource (autoscaling/v1 Scale; merge patch of spec.replicas; negative is 422);
/// - merge patches (application/merge-patch+json, RFC 7386; strategic merge is applied the same way, which is equal
///   for the scalar fields patched here), other patch types 415;
/// - watches from a resourceVersion: history replayed, then live events, BOOKMARK events when asked for, an ERROR event
///   with a 410 Expired Status when the resourceVersion was compacted away (<see cref="ObjectStore.Compact"/>).
/// Not enforced: server-side defaulting beyond metadata, admission, RBAC, field selectors, pagination, cascading deletes.
/// </summary>
public sealed partial class KubeApiServerDouble : IAsyncDisposable
{
    public const string Token = "test-token";

    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromMilliseconds(200);

    private readonly WebApplication _app;
    private readonly Dictionary<(string Namespace, string Pod), List<string>> _logs = [];

    private KubeApiServerDouble(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ObjectStore Store { get; } = new();

    public ClusterConnection Connection => new() { Server = new Uri(Url), BearerToken = Token };

    /// <summary>Resources (plural names) the caller may not touch, answered 403 Forbidden as RBAC would.</summary>
    public HashSet<string> Forbidden { get; } = [];

    /// <param name="tls">Serve HTTPS with these certificates' server certificate, and accept client certificates their CA signed in place of the token.</param>
    public static async Task<KubeApiServerDouble> StartAsync(TestCertificates? tls = null)
    {
        var url = $"{(tls is null ? "http" : "https")}://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        if (tls is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = tls.Server;
                https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => certificate.Issuer == tls.Authority.Subject;
            }));
        }

        var app = builder.Build();
        var server = new KubeApiServerDouble(app, url);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>The subject of the client certificate the last request authenticated with, if any.</summary>
    public string? LastClientCertificate { get; private set; }

    /// <summary>Creates a namespace with labels, as an administrator would.</summary>
    public void AddNamespace(string name, Dictionary<string, string>? labels = null) =>
        Store.Put("namespaces", "", name, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = JsonSerializer.SerializeToNode(labels ?? []) },
        }, "ADDED");

    /// <summary>Plays the kubelet and the endpoints controller: a pod per address becomes ready, the Deployment reports them available.</summary>
    public void SetReady(string @namespace, string function, params (string Pod, string Address, int Port)[] pods)
    {
        Store.Put("endpointslices", @namespace, function + "-abcde", new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject { ["name"] = function + "-abcde", ["namespace"] = @namespace, ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = function } },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray([.. pods.Select(pod => (JsonNode)new JsonObject
            {
                ["addresses"] = new JsonArray(pod.Address),
                ["conditions"] = new JsonObject { ["ready"] = true },
                ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["name"] = pod.Pod, ["namespace"] = @namespace },
            })]),
            ["ports"] = new JsonArray(pods.Select(pod => pod.Port).Distinct().Select(port => (JsonNode)new JsonObject { ["name"] = "http", ["port"] = port, ["protocol"] = "TCP" }).ToArray()),
        }, "ADDED");
        if (Store.Get("deployments", @namespace, function) is { } deployment)
        {
            deployment["status"] = new JsonObject { ["replicas"] = pods.Length, ["readyReplicas"] = pods.Length, ["availableReplicas"] = pods.Length };
            Store.Put("deployments", @namespace, function, deployment, "MODIFIED");
        }

        foreach (var (pod, address, _) in pods)
        {
            Store.Put("pods", @namespace, pod, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = @namespace, ["labels"] = new JsonObject { ["faas_function"] = function } },
                ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = address },
            }, "ADDED");
        }
    }

    /// <summary>A line of a pod's log, timestamped as the kubelet does for <c>timestamps=true</c>.</summary>
    public void AppendLog(string @namespace, string pod, DateTimeOffset at, string text)
    {
        lock (_logs)
        {
            _logs.TryAdd((@namespace, pod), []);
            _logs[(@namespace, pod)].Add($"{at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture)}00Z {text}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Store.EndWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        LastClientCertificate = context.Connection.ClientCertificate?.Subject;
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Token}" && LastClientCertificate is null)
        {
            await WriteAsync(context, 401, StatusBodies.Failure(401, "Unauthorized", "Unauthorized"));
            return;
        }

        if (!TryRoute(context.Request.Path.Value ?? "", out var route))
        {
            await WriteAsync(context, 404, StatusBodies.Failure(404, "NotFound", "the server could not find the requested resource"));
            return;
        }

        if (Forbidden.Contains(route.Type.Plural))
        {
            await WriteAsync(context, 403, StatusBodies.Failure(403, "Forbidden",
                $"{route.Type.Qualified} is forbidden: User \"system:serviceaccount:openfaas:faas-gateway\" cannot {context.Request.Method.ToLowerInvariant()} resource \"{route.Type.Plural}\" in API group \"{route.Type.Group}\" in the namespace \"{route.Namespace}\""));
            return;
        }

        var query = context.Request.Query;
        var (status, body) = (context.Request.Method, route.Name, route.Subresource) switch
        {
            ("GET", null, _) when query["watch"] == "true" => (0, null),
            ("GET", null, _) => List(route, query["labelSelector"]),
            ("POST", null, _) => Create(route, await ReadAsync(context)),
            ("GET", { } name, null) => Get(route, name),
            ("PUT", { } name, null) => Replace(route, name, await ReadAsync(context)),
            ("PATCH", { } name, null) => Patch(route, name, context.Request.ContentType, await ReadAsync(context)),
            ("DELETE", { } name, null) => Delete(route, name),
            ("GET", { } name, "scale") when route.Type.Plural == "deployments" => GetScale(route, name),
            ("PATCH", { } name, "scale") when route.Type.Plural == "deployments" => PatchScale(route, name, context.Request.ContentType, await ReadAsync(context)),
            ("GET", { } name, "log") when route.Type.Plural == "pods" => (0, null),
            _ => (405, StatusBodies.Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")),
        };
        if (status == 0 && route.Subresource == "log")
        {
            await StreamLogAsync(context, route, route.Name!);
        }
        else if (status == 0)
        {
            await WatchAsync(context, route);
        }
        else
        {
            await WriteAsync(context, status, body!);
        }
    }

    private static async Task<JsonObject?> ReadAsync(HttpContext context)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    internal static bool IsDns1123Label(string name) => name.Length <= 63 && Dns1123Label().IsMatch(name);

    private static async Task WriteLineAsync(HttpContext context, JsonObject line)
    {
        await context.Response.WriteAsync(line.ToJsonString() + "\n", Encoding.UTF8, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
