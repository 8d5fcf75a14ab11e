namespace Faas.Provider;

/// <summary>A ready replica of a function that the gateway can send requests to.</summary>
public sealed record ReplicaEndpoint(string Instance, string Host, int Port);
