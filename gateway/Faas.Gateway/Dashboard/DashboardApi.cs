using Faas.Gateway.Admin;
using Faas.Gateway.Async;
using Faas.Gateway.Metrics;
using Faas.Gateway.Store;
using Faas.Provider;

namespace Faas.Gateway.Dashboard;

/// <summary>
/// What the dashboard reads beyond OpenFaaS' API, under <c>/system</c> (so the same Basic auth or session guards it) and
/// documented in README: each function's last 15 minutes, the async queue per function, its dead letters (listed and
/// re-driven), and the function store (listed and deployed from).
/// </summary>
internal static class DashboardApi
{
    private const int DeadLetterPage = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        var system = app.MapGroup("/system");
        system.MapGet("/function-history", async (HttpContext context, IFunctionProvider provider, FunctionHistory history) =>
        {
            var name = context.Request.Query["name"].ToString();
            var keys = await KeysAsync(context, provider, name.Length > 0 ? name : null);
            await JsonBody.WriteAsync(context, new FunctionHistoryResponse { IntervalSeconds = history.Interval.TotalSeconds, Functions = history.Read(keys) }, DashboardJson.Default.FunctionHistoryResponse);
        });
        system.MapGet("/async-queues", async (HttpContext context, IFunctionProvider provider, IAsyncQueue queue, AsyncStats stats) =>
        {
            var functions = new List<AsyncQueueStatus>();
            foreach (var key in await KeysAsync(context, provider, null))
            {
                var counts = stats.Find(key);
                functions.Add(new AsyncQueueStatus
                {
                    Name = key.Name,
                    Namespace = key.Namespace,
                    Depth = queue.Problem is null ? await queue.DepthAsync(key, context.RequestAborted) : null,
                    InFlight = counts?.InFlight ?? 0,
                    Retries = counts?.Retries ?? 0,
                    DeadLettered = counts?.DeadLetters ?? 0,
                    Completed = counts?.Completed ?? 0,
                });
            }

            await JsonBody.WriteAsync(context, new AsyncQueuesResponse { Queue = queue.Description, Problem = queue.Problem, Functions = functions }, DashboardJson.Default.AsyncQueuesResponse);
        });
        system.MapGet("/dead-letters", async (HttpContext context, IFunctionProvider provider, IAsyncQueue queue) =>
        {
            var key = await KeyAsync(provider, context.Request.Query["name"].ToString(), JsonBody.Namespace(context), context.RequestAborted);
            await JsonBody.WriteAsync(context, [.. await queue.DeadLettersAsync(key, DeadLetterPage, context.RequestAborted)], DashboardJson.Default.ListDeadLetter);
        });
        system.MapPost("/dead-letters/redrive", async (HttpContext context, IFunctionProvider provider, IAsyncQueue queue) =>
        {
            var request = await JsonBody.ReadAsync(context.Request, DashboardJson.Default.RedriveRequest, context.RequestAborted);
            var key = await KeyAsync(provider, request.Name, request.Namespace ?? JsonBody.Namespace(context), context.RequestAborted);
            return await queue.RedriveAsync(key, request.Id, context.RequestAborted) switch
            {
                RedriveOutcome.Queued => Results.StatusCode(StatusCodes.Status202Accepted),
                RedriveOutcome.NotRedrivable => Results.Text($"dead letter {request.Id} of {key} cannot be sent again\n", statusCode: StatusCodes.Status409Conflict),
                _ => Results.Text($"{key} has no dead letter {request.Id}\n", statusCode: StatusCodes.Status404NotFound),
            };
        });
        system.MapGet("/store", async (HttpContext context, FunctionStore store) =>
            await store.ListAsync(context.RequestAborted) is { } functions
                ? Results.Json(functions, StoreJson.Default.ListStoreEntry)
                : Results.Text("no function store is configured (Gateway:StoreDirectory or FAAS_STORE_DIR)\n", statusCode: StatusCodes.Status404NotFound));
        system.MapPost("/store/deploy", async (HttpContext context, FunctionStore store, IFunctionProvider provider) =>
        {
            var request = await JsonBody.ReadAsync(context.Request, StoreJson.Default.StoreDeployRequest, context.RequestAborted);
            await store.DeployAsync(request with { Namespace = request.Namespace is { Length: > 0 } ns ? ns : JsonBody.Namespace(context) }, provider, context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
    }

    /// <summary>The functions of the request's namespace (the backend's default when none is given), or only the one named.</summary>
    private static async Task<IReadOnlyList<FunctionKey>> KeysAsync(HttpContext context, IFunctionProvider provider, string? name)
    {
        var ns = JsonBody.Namespace(context);
        if (name is not null)
        {
            return [await KeyAsync(provider, name, ns, context.RequestAborted)];
        }

        return [.. (await provider.ListAsync(ns, context.RequestAborted)).Select(function => new FunctionKey(function.Name, function.Namespace is { Length: > 0 } given ? given : ns))];
    }

    /// <summary>The function named (a 404 from the backend if there is none), with its namespace as the backend names it.</summary>
    private static async Task<FunctionKey> KeyAsync(IFunctionProvider provider, string name, string ns, CancellationToken cancellationToken)
    {
        if (name.Length == 0)
        {
            throw new BadHttpRequestException("the function's name is required");
        }

        var function = await provider.GetAsync(name, ns, cancellationToken);
        return new FunctionKey(function.Name, function.Namespace is { Length: > 0 } given ? given : ns);
    }
}
