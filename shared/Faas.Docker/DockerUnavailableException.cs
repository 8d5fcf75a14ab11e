namespace Faas.Docker;

/// <summary>No usable Docker Engine: none answers on the socket, or it is too old.</summary>
public sealed class DockerUnavailableException(string message, Exception? inner) : Exception(message, inner);
