using System.Net;
using Faas.Provider.Kubernetes.Api;

namespace Faas.Provider.Kubernetes.Client;

/// <summary>The API server said no; its <see cref="Api.Status"/> (reason, message, field causes) is kept.</summary>
public sealed class KubernetesException(HttpStatusCode code, Status? status, string operation)
    : Exception($"{operation}: {status?.Message ?? code.ToString()} ({(int)code}{(status?.Reason is { } reason ? " " + reason : "")})")
{
    public HttpStatusCode Code { get; } = code;

    public Status? Status { get; } = status;

    public bool IsNotFound => Code == HttpStatusCode.NotFound;

    /// <summary>AlreadyExists on create, or a stale resourceVersion on a write.</summary>
    public bool IsConflict => Code == HttpStatusCode.Conflict;

    /// <summary>422: the server named what was wrong (see <see cref="FieldMessage"/>).</summary>
    public bool IsInvalid => Code == HttpStatusCode.UnprocessableEntity;

    /// <summary>410: a watch's resourceVersion is too old; list again.</summary>
    public bool IsGone => Code == HttpStatusCode.Gone;

    /// <summary>The server's message, with the first field cause if it gave one.</summary>
    public string FieldMessage => Status?.Details?.Causes?.FirstOrDefault() is { Field: { } path, Message: { } message } ? $"{path}: {message}" : Status?.Message ?? Message;
}
