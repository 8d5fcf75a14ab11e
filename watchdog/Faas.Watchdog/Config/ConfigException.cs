namespace Faas.Watchdog.Config;

/// <summary>A configuration value that cannot be used; the message names the variable, the value and the accepted form.</summary>
internal sealed class ConfigException(string variable, string? value, string acceptedForm)
    : Exception(value is null
        ? $"{variable} is required: expected {acceptedForm}"
        : $"invalid {variable}=\"{value}\": expected {acceptedForm}")
{
    public string Variable { get; } = variable;
}
