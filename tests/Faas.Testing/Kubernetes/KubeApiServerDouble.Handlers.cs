using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Faas.Testing.Kubernetes;

/// <summary>The double's verbs (see <see cref="KubeApiServerDouble"/> for what they enforce).</summary>
public sealed partial class KubeApiServerDouble
{
    private sealed record Route(ResourceType Type, string Namespace, string? Name, string? Subresource);

    /// <summary><c>/api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]]</c> and <c>/apis/GROUP/VERSION/...</c>.</summary>
    private static bool TryRoute(string path, out Route route)
    {
        route = null!;
        var parts = path.Trim('/').Split('/');
        int rest;
        string group;
        if (parts is ["api", "v1", ..])
        {
            (group, rest) = ("", 2);
        }
        else if (parts.Length >= 3 && parts[0] == "apis")
        {
            (group, rest) = (parts[1], 3);
        }
        else
        {
            return false;
        }

        var tail = parts[rest..];
        var @namespace = "";
        if (tail is ["namespaces", var ns, _, ..])
        {
            @namespace = ns;
            tail = tail[2..];
        }

        if (tail.Length is 0 or > 3 || ResourceType.All.FirstOrDefault(t => t.Plural == tail[0] && t.Group == group) is not { } type)
        {
            return false;
        }

        route = new Route(type, type.Namespaced ? @namespace : "", tail.Length > 1 ? tail[1] : null, tail.Length > 2 ? tail[2] : null);
        return true;
    }

    private (int, JsonObject) List(Route route, string? selector)
    {
        if (SelectorMatcher.Check(selector) is { } problem)
        {
            return (400, StatusBodies.Failure(400, "BadRequest", problem));
        }

        var version = Store.Version;
        var items = Store.List(route.Type.Plural, route.Namespace.Length == 0 ? null : route.Namespace).Where(item => SelectorMatcher.Matches(selector, item));
        return (200, new JsonObject
        {
            ["kind"] = route.Type.Kind + "List",
            ["apiVersion"] = route.Type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray([.. items]),
        });
    }

    private (int, JsonObject) Get(Route route, string name) =>
        Store.Get(route.Type.Plural, route.Namespace, name) is { } found ? (200, found) : (404, StatusBodies.NotFound(route.Type, name));

    private (int, JsonObject) Create(Route route, JsonObject? body)
    {
        var name = body?["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (body is null || body["kind"]?.GetValue<string>() != route.Type.Kind)
        {
            return (400, StatusBodies.Failure(400, "BadRequest", $"the body is not a {route.Type.Kind}"));
        }

        if (!IsDns1123Label(name))
        {
            return (422, StatusBodies.Invalid(route.Type, name, "metadata.name", $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"));
        }

        if (route.Type.Namespaced && Store.Get("namespaces", "", route.Namespace) is null)
        {
            return (404, StatusBodies.NotFound(ResourceType.All.Single(t => t.Plural == "namespaces"), route.Namespace));
        }

        if (Store.Get(route.Type.Plural, route.Namespace, name) is not null)
        {
            return (409, StatusBodies.AlreadyExists(route.Type, name));
        }

        var metadata = (JsonObject)body["metadata"]!;
        metadata["namespace"] = route.Type.Namespaced ? route.Namespace : null;
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (route.Type.Plural == "deployments")
        {
            metadata["generation"] = 1;
            body["status"] = new JsonObject();
        }

        return (201, Store.Put(route.Type.Plural, route.Namespace, name, body, "ADDED"));
    }

    private (int, JsonObject) Replace(Route route, string name, JsonObject? body)
    {
        if (Store.Get(route.Type.Plural, route.Namespace, name) is not { } current)
        {
            return (404, StatusBodies.NotFound(route.Type, name));
        }

        if (body?["metadata"]?["name"]?.GetValue<string>() != name)
        {
            return (400, StatusBodies.Failure(400, "BadRequest", "the name of the object does not match the name on the URL"));
        }

        var version = body["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (string.IsNullOrEmpty(version))
        {
            return (422, StatusBodies.Invalid(route.Type, name, "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update"));
        }

        if (version != current["metadata"]!["resourceVersion"]!.GetValue<string>())
        {
            return (409, StatusBodies.Conflict(route.Type, name));
        }

        return (200, Commit(route, name, current, body));
    }

    private (int, JsonObject) Patch(Route route, string name, string? contentType, JsonObject? patch)
    {
        if (contentType?.Split(';')[0] is not ("application/merge-patch+json" or "application/strategic-merge-patch+json"))
        {
            return (415, StatusBodies.Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json"));
        }

        if (Store.Get(route.Type.Plural, route.Namespace, name) is not { } current)
        {
            return (404, StatusBodies.NotFound(route.Type, name));
        }

        var merged = (JsonObject)current.DeepClone();
        MergePatch(merged, patch ?? []);
        return (200, Commit(route, name, current, merged));
    }

    private (int, JsonObject) Delete(Route route, string name) =>
        Store.Delete(route.Type.Plural, route.Namespace, name) is not null
            ? (200, StatusBodies.Success(name, route.Type.Group, route.Type.Plural))
            : (404, StatusBodies.NotFound(route.Type, name));

    private (int, JsonObject) GetScale(Route route, string name) =>
        Store.Get("deployments", route.Namespace, name) is { } deployment ? (200, ScaleOf(deployment)) : (404, StatusBodies.NotFound(route.Type, name));

    private (int, JsonObject) PatchScale(Route route, string name, string? contentType, JsonObject? patch)
    {
        if (Store.Get("deployments", route.Namespace, name) is not { } deployment)
        {
            return (404, StatusBodies.NotFound(route.Type, name));
        }

        var scale = ScaleOf(deployment);
        MergePatch(scale, patch ?? []);
        var replicas = (int)(Number(scale["spec"]?["replicas"]) ?? 0);
        if (replicas < 0)
        {
            return (422, StatusBodies.Invalid(route.Type, name, "spec.replicas", $"Invalid value: {replicas}: must be greater than or equal to 0"));
        }

        var updated = (JsonObject)deployment.DeepClone();
        updated["spec"]!["replicas"] = replicas;
        return (200, ScaleOf(Commit(route, name, deployment, updated)));
    }

    /// <summary>Stores a new version: status stays the server's, and a changed spec bumps the generation.</summary>
    private JsonObject Commit(Route route, string name, JsonObject current, JsonObject next)
    {
        if (route.Type.Plural == "deployments")
        {
            next["status"] = current["status"]?.DeepClone();
            var generation = Number(current["metadata"]?["generation"]) ?? 1;
            next["metadata"]!["generation"] = JsonNode.DeepEquals(current["spec"], next["spec"]) ? generation : generation + 1;
        }

        foreach (var kept in new[] { "uid", "creationTimestamp", "namespace" })
        {
            next["metadata"]![kept] = current["metadata"]?[kept]?.DeepClone();
        }

        return Store.Put(route.Type.Plural, route.Namespace, name, next, "MODIFIED");
    }

    private static JsonObject ScaleOf(JsonObject deployment) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = deployment["metadata"]!["name"]!.DeepClone(),
            ["namespace"] = deployment["metadata"]!["namespace"]?.DeepClone(),
            ["resourceVersion"] = deployment["metadata"]!["resourceVersion"]!.DeepClone(),
        },
        ["spec"] = new JsonObject { ["replicas"] = deployment["spec"]?["replicas"]?.DeepClone() ?? 1 },
        ["status"] = new JsonObject
        {
            ["replicas"] = deployment["status"]?["replicas"]?.DeepClone() ?? 0,
            ["selector"] = string.Join(',', (deployment["spec"]?["selector"]?["matchLabels"] as JsonObject ?? []).Select(p => $"{p.Key}={p.Value}")),
        },
    };

    /// <summary>A JSON number, whether it was parsed from a request or set here.</summary>
    private static long? Number(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    /// <summary>RFC 7386: objects merge recursively, null deletes, anything else replaces.</summary>
    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child && target[key] is JsonObject existing)
            {
                MergePatch(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private async Task WatchAsync(HttpContext context, Route route)
    {
        var selector = context.Request.Query["labelSelector"].ToString();
        var bookmarks = context.Request.Query["allowWatchBookmarks"] == "true";
        var since = long.TryParse(context.Request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var parsed) ? parsed : Store.Version;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        if (Store.Subscribe(since) is not var (past, live, stop))
        {
            await WriteLineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = StatusBodies.Gone(since, Store.OldestWatchable) });
            return;
        }

        try
        {
            bool Wanted(ObjectStore.Change change) => change.Resource == route.Type.Plural
                && (route.Namespace.Length == 0 || change.Namespace == route.Namespace) && SelectorMatcher.Matches(selector, change.Object);
            foreach (var change in past.Where(Wanted))
            {
                await WriteLineAsync(context, new JsonObject { ["type"] = change.Type, ["object"] = change.Object.DeepClone() });
            }

            while (true)
            {
                using var tick = new CancellationTokenSource(BookmarkInterval);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(tick.Token, context.RequestAborted);
                try
                {
                    if (!await live.WaitToReadAsync(either.Token))
                    {
                        return;
                    }

                    while (live.TryRead(out var change))
                    {
                        if (Wanted(change))
                        {
                            await WriteLineAsync(context, new JsonObject { ["type"] = change.Type, ["object"] = change.Object.DeepClone() });
                        }
                    }
                }
                catch (OperationCanceledException) when (tick.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
                {
                    if (bookmarks)
                    {
                        await WriteLineAsync(context, new JsonObject
                        {
                            ["type"] = "BOOKMARK",
                            ["object"] = new JsonObject { ["kind"] = route.Type.Kind, ["apiVersion"] = route.Type.ApiVersion, ["metadata"] = new JsonObject { ["resourceVersion"] = Store.Version.ToString(CultureInfo.InvariantCulture) } },
                        });
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            stop();
        }
    }

    private async Task StreamLogAsync(HttpContext context, Route route, string pod)
    {
        if (Store.Get("pods", route.Namespace, pod) is null)
        {
            await WriteAsync(context, 404, StatusBodies.NotFound(route.Type, pod));
            return;
        }

        var follow = context.Request.Query["follow"] == "true";
        var tail = int.TryParse(context.Request.Query["tailLines"], CultureInfo.InvariantCulture, out var lines) ? lines : (int?)null;
        context.Response.ContentType = "text/plain";
        var sent = 0;
        List<string> Lines()
        {
            lock (_logs)
            {
                return [.. _logs.GetValueOrDefault((route.Namespace, pod)) ?? []];
            }
        }

        var first = Lines();
        var skipped = tail is { } t ? Math.Max(0, first.Count - t) : 0;
        sent = skipped;
        try
        {
            do
            {
                var all = Lines();
                foreach (var line in all.Skip(sent))
                {
                    await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                }

                sent = all.Count;
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (follow)
                {
                    await Task.Delay(50, context.RequestAborted);
                }
            }
            while (follow);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
