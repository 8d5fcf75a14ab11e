namespace Faas.Provider;

/// <summary>What kind of failure a provider reports, so the gateway can answer 404, 409, 400, 501, 502 or 503.</summary>
public enum ProviderError
{
    NotFound,
    Conflict,
    Invalid,

    /// <summary>This backend does not do that (as faas-provider answers 501 for what a provider does not implement).</summary>
    NotSupported,

    /// <summary>What runs replicas (the API server, the Docker Engine) refused the platform's own request, for example for lack of permission (502).</summary>
    Refused,

    /// <summary>What runs replicas cannot be reached or is overloaded now; try again later (503).</summary>
    Unavailable,
}

/// <summary>A typed provider failure; the message is one line naming the function, field or secret concerned.</summary>
public sealed class ProviderException(ProviderError kind, string message) : Exception(message)
{
    public ProviderError Kind { get; } = kind;

    public static ProviderException NotFound(string message) => new(ProviderError.NotFound, message);

    public static ProviderException Conflict(string message) => new(ProviderError.Conflict, message);

    public static ProviderException Invalid(string message) => new(ProviderError.Invalid, message);

    public static ProviderException NotSupported(string message) => new(ProviderError.NotSupported, message);

    public static ProviderException Refused(string message) => new(ProviderError.Refused, message);

    public static ProviderException Unavailable(string message) => new(ProviderError.Unavailable, message);
}
