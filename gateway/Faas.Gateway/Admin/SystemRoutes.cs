using Faas.Gateway.Metrics;
using Faas.Gateway.Scaling;
using Faas.Provider;
using Faas.Provider.Validation;
using Faas.Provider.Wire;

namespace Faas.Gateway.Admin;

/// <summary>
/// The OpenFaaS admin API under <c>/system</c>, on top of <see cref="IFunctionProvider"/>: the same routes, JSON
/// fields and status codes as the OpenFaaS gateway and faas-netes (202 for accepted changes, 201 for a created
/// secret), plus the local backend's bundle upload.
/// </summary>
internal static class SystemRoutes
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var system = app.MapGroup("/system");
        system.MapGet("/functions", async (HttpContext context, IFunctionProvider provider, GatewayMetrics metrics) =>
            await JsonBody.WriteAsync(context, [.. (await provider.ListAsync(JsonBody.Namespace(context), context.RequestAborted)).Select(f => WithInvocations(f, metrics))], ProviderJson.Wire.ListFunctionStatus));
        system.MapPost("/functions", async (HttpContext context, IFunctionProvider provider) =>
        {
            await provider.DeployAsync(await JsonBody.ReadAsync(context.Request, ProviderJson.Default.FunctionDeployment, context.RequestAborted), context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        system.MapPut("/functions", async (HttpContext context, IFunctionProvider provider) =>
        {
            await provider.UpdateAsync(await JsonBody.ReadAsync(context.Request, ProviderJson.Default.FunctionDeployment, context.RequestAborted), context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        system.MapDelete("/functions", async (HttpContext context, IFunctionProvider provider) =>
        {
            var request = await JsonBody.ReadAsync(context.Request, ProviderJson.Default.DeleteFunctionRequest, context.RequestAborted);
            await provider.DeleteAsync(request.FunctionName, request.Namespace ?? JsonBody.Namespace(context), context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        system.MapGet("/function/{name}", async (HttpContext context, string name, IFunctionProvider provider, GatewayMetrics metrics, Autoscaler autoscaler) =>
        {
            var function = WithInvocations(await provider.GetAsync(name, JsonBody.Namespace(context), context.RequestAborted), metrics);
            function = function with { Scaling = autoscaler.Describe(function.Key()) };
            await JsonBody.WriteAsync(context, function, ProviderJson.Wire.FunctionStatus);
        });
        system.MapPost("/scale-function/{name}", async (HttpContext context, string name, IFunctionProvider provider) =>
        {
            var request = await JsonBody.ReadAsync(context.Request, ProviderJson.Default.ScaleServiceRequest, context.RequestAborted);
            request = request with { ServiceName = name, Namespace = request.Namespace ?? JsonBody.Namespace(context) };
            var function = await provider.GetAsync(name, request.Namespace, context.RequestAborted);
            var max = ScalingLabels.MaxReplicas(function.Labels);
            if (request.Replicas > (ulong)max)
            {
                throw ProviderException.Invalid($"replicas {request.Replicas} is above the maximum of {max} for {name} ({ScalingLabels.Max})");
            }

            await provider.ScaleAsync(request, context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        MapSecrets(system);
        MapNamespaces(system);
        system.MapGet("/info", (HttpContext context, IFunctionProvider provider) =>
            JsonBody.WriteAsync(context, new GatewayInfo { Provider = provider.Info, Version = GatewayInfo.GatewayVersion, Arch = GatewayInfo.Architecture }, GatewayJson.Wire.GatewayInfo));
        system.MapGet("/logs", LogRoute.StreamAsync);
        system.MapPost("/bundles/{name}", async (HttpContext context, string name, IFunctionProvider provider) =>
        {
            if (provider is not IBundleStore bundles)
            {
                return Results.Text($"this gateway's backend ({provider.Info.Orchestration}) runs images, not bundles: push the image to a registry\n", statusCode: StatusCodes.Status400BadRequest);
            }

            var image = await bundles.StoreBundleAsync(name, context.Request.Body, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status201Created;
            await JsonBody.WriteAsync(context, new BundleStored { Image = image }, GatewayJson.Wire.BundleStored);
            return Results.Empty;
        });
    }

    /// <summary>faas-provider's namespace list and CRUD (faas-cli <c>namespace list|create|get|update|remove</c>).</summary>
    private static void MapNamespaces(RouteGroupBuilder system)
    {
        system.MapGet("/namespaces", async (HttpContext context, IFunctionProvider provider) =>
            await JsonBody.WriteAsync(context, [.. await provider.ListNamespacesAsync(context.RequestAborted)], ProviderJson.Wire.ListString));
        system.MapGet("/namespace/{name}", async (HttpContext context, string name, IFunctionProvider provider) =>
            await JsonBody.WriteAsync(context, await provider.GetNamespaceAsync(name, context.RequestAborted), ProviderJson.Wire.FunctionNamespace));
        system.MapPost("/namespace/{name}", async (HttpContext context, string name, IFunctionProvider provider) =>
        {
            await provider.CreateNamespaceAsync(await ReadNamespaceAsync(context, name), context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status201Created);
        });
        system.MapPut("/namespace/{name}", async (HttpContext context, string name, IFunctionProvider provider) =>
        {
            await provider.UpdateNamespaceAsync(await ReadNamespaceAsync(context, name), context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        system.MapDelete("/namespace/{name}", async (HttpContext context, string name, IFunctionProvider provider) =>
        {
            await provider.DeleteNamespaceAsync(name, context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
    }

    /// <summary>The namespace from the body (which may be empty), named by the route; a body naming another is a 400.</summary>
    private static async Task<FunctionNamespace> ReadNamespaceAsync(HttpContext context, string name)
    {
        var given = context.Request.ContentLength is 0 ? new FunctionNamespace() : await JsonBody.ReadAsync(context.Request, ProviderJson.Default.FunctionNamespace, context.RequestAborted);
        return given.Name.Length > 0 && given.Name != name
            ? throw new BadHttpRequestException($"the body names namespace {given.Name} but the path names {name}")
            : given with { Name = name };
    }

    private static void MapSecrets(RouteGroupBuilder system)
    {
        system.MapGet("/secrets", async (HttpContext context, IFunctionProvider provider) =>
            await JsonBody.WriteAsync(context, [.. await provider.ListSecretsAsync(JsonBody.Namespace(context), context.RequestAborted)], ProviderJson.Wire.ListSecret));
        system.MapPost("/secrets", async (HttpContext context, IFunctionProvider provider) =>
        {
            await provider.CreateSecretAsync(await ReadSecretAsync(context), context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status201Created);
        });
        system.MapPut("/secrets", async (HttpContext context, IFunctionProvider provider) =>
        {
            await provider.UpdateSecretAsync(await ReadSecretAsync(context), context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        system.MapDelete("/secrets", async (HttpContext context, IFunctionProvider provider) =>
        {
            var secret = await ReadSecretAsync(context);
            await provider.DeleteSecretAsync(secret.Name, secret.Namespace!, context.RequestAborted);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
    }

    /// <summary>A secret from the body, its name checked and its namespace from the body, the query or the default.</summary>
    private static async Task<Secret> ReadSecretAsync(HttpContext context)
    {
        var secret = await JsonBody.ReadAsync(context.Request, ProviderJson.Default.Secret, context.RequestAborted);
        return SecretValidator.Validate(secret with { Namespace = secret.Namespace is { Length: > 0 } given ? given : JsonBody.Namespace(context) });
    }

    private static FunctionStatus WithInvocations(FunctionStatus function, GatewayMetrics metrics) =>
        function with { InvocationCount = metrics.InvocationCount(function) };
}
