namespace Faas.Provider;

/// <summary>What kind of failure a provider reports, so the gateway can answer 404, 409, 400 or 501.</summary>
public enum ProviderError
{
    NotFound,
    Conflict,
    Invalid,

    /// <summary>This backend does not do that (as faas-provider answers 501 for what a provider does not implement).</summary>
    NotSupported,
}

/// <summary>A typed provider failure; the message is one line naming the function, field or secret concerned.</summary>
public sealed class ProviderException(ProviderError kind, string message) : Exception(message)
{
    public ProviderError Kind { get; } = kind;

    public static ProviderException NotFound(string message) => new(ProviderError.NotFound, message);

    public static ProviderException Conflict(string message) => new(ProviderError.Conflict, message);

    public static ProviderException Invalid(string message) => new(ProviderError.Invalid, message);

    public static ProviderException NotSupported(string message) => new(ProviderError.NotSupported, message);
}
