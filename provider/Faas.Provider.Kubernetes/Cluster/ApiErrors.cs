using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Faas.Provider.Kubernetes.Cluster;

/// <summary>
/// The API server's answers as the provider's typed failures, each naming what was asked: 403 → Refused (502: the
/// gateway's service account lacks a permission, not the caller), 404 → NotFound, 409 → Conflict, 422 → Invalid with the
/// server's message, 429 and 5xx → Unavailable (503), an unreachable server → Unavailable.
/// </summary>
internal static class ApiErrors
{
    public static bool IsStatus(Exception error, HttpStatusCode code) =>
        error is HttpOperationException { Response.StatusCode: var status } && status == code;

    /// <summary>Runs one API call; any failure becomes a <see cref="ProviderException"/> about <paramref name="action"/> (e.g. "create deployment x in namespace y").</summary>
    public static async Task<T> CallAsync<T>(string action, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception error) when (Map(error, action) is { } mapped)
        {
            throw mapped;
        }
    }

    public static Task CallAsync(string action, Func<Task> call) => CallAsync(action, async () =>
    {
        await call();
        return true;
    });

    /// <summary>Null for what is not an API failure (cancellation, a bug): those propagate as they are.</summary>
    public static ProviderException? Map(Exception error, string action) => error switch
    {
        HttpOperationException operation => FromStatus(operation.Response.StatusCode, MessageOf(operation), action),
        KubernetesException watch when watch.Status is { Code: { } code } => FromStatus((HttpStatusCode)code, watch.Status.Message ?? "", action),
        HttpRequestException or IOException => ProviderException.Unavailable($"the Kubernetes API server is unreachable ({error.Message}); could not {action}"),
        TaskCanceledException { InnerException: TimeoutException } => ProviderException.Unavailable($"the Kubernetes API server did not answer in time; could not {action}"),
        _ => null,
    };

    private static ProviderException FromStatus(HttpStatusCode code, string message, string action) => (int)code switch
    {
        403 => ProviderException.Refused($"the cluster does not allow the gateway to {action}: give its service account that permission (see README, Kubernetes RBAC). The API server said: {message}"),
        404 => ProviderException.NotFound($"not found: {action}: {message}"),
        409 => ProviderException.Conflict($"conflict: {action}: {message}"),
        400 or 422 => ProviderException.Invalid($"the cluster refused to {action}: {message}"),
        429 or >= 500 => ProviderException.Unavailable($"the Kubernetes API server is unavailable ({(int)code}); could not {action}: {message}"),
        _ => ProviderException.Refused($"the cluster answered {(int)code} to {action}: {message}"),
    };

    /// <summary>The Status message the server sent (with its first field cause), else the HTTP reason.</summary>
    private static string MessageOf(HttpOperationException error)
    {
        try
        {
            if (error.Response.Content is { Length: > 0 } content && KubernetesJson.Deserialize<V1Status>(content) is { } status)
            {
                return status.Details?.Causes?.FirstOrDefault() is { Field: { } field, Message: { } cause } ? $"{field}: {cause}" : status.Message ?? error.Message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return error.Response.ReasonPhrase ?? error.Message;
    }
}
