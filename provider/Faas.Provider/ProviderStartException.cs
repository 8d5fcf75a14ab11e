namespace Faas.Provider;

/// <summary>
/// A backend could not start: what it runs replicas on did not answer (exit code 1), or its settings name something
/// that is not there or cannot work (exit code 2). The message is one line for the operator.
/// </summary>
public sealed class ProviderStartException(string message, bool badSettings, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code a host should end with: 2 for bad settings, 1 for anything else.</summary>
    public int ExitCode { get; } = badSettings ? 2 : 1;

    public static ProviderStartException Unreachable(string message, Exception? inner = null) => new(message, badSettings: false, inner);

    public static ProviderStartException BadSettings(string message, Exception? inner = null) => new(message, badSettings: true, inner);
}
