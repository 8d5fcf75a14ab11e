namespace Faas.Provider.Kubernetes.Client;

/// <summary>No usable cluster configuration: the message names the file and what is missing.</summary>
public sealed class KubeConfigException(string message) : Exception(message);
