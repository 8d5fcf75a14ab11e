namespace Faas.Conventions;

/// <summary>The <c>X-Timeout</c> request header: a caller's shorter limit for one invocation, checked the same way at every hop.</summary>
public static class RequestTimeout
{
    /// <summary>Null if <paramref name="value"/> is absent or a positive duration, else the 400 message naming the header.</summary>
    public static string? Check(string? value) =>
        value is null || (Duration.TryParse(value, out var timeout) && timeout > TimeSpan.Zero)
            ? null
            : $"{InvocationHeaders.Timeout} \"{value}\" is not a positive duration: expected {Duration.AcceptedForm}";
}
