namespace Faas.Provider.Local.Isolation;

/// <summary>The host directories a sandboxed replica sees: its files, its secrets and its <c>/tmp</c>; and the state directory it must not see.</summary>
internal sealed record SandboxMounts(string App, string Secrets, string Temporary, string StateDirectory);
