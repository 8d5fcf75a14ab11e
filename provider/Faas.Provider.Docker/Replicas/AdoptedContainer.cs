namespace Faas.Provider.Docker.Replicas;

/// <summary>A replica container found on the engine at start-up (left running by a previous gateway), to supervise instead of replace.</summary>
public sealed record AdoptedContainer(string Id, string Name, int Port);
