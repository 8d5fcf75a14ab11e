using System.Net;

namespace Faas.Provider.Docker.Engine;

/// <summary>The Engine API said no: its status code and its <c>message</c>.</summary>
public sealed class DockerException(HttpStatusCode status, string message, string operation)
    : Exception($"{operation}: {message} ({(int)status})")
{
    public HttpStatusCode Status { get; } = status;

    public string EngineMessage { get; } = message;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    public bool IsConflict => Status == HttpStatusCode.Conflict;
}
