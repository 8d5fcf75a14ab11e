namespace Faas.Cli;

/// <summary>A failure to report as one line (no stack trace): exit code 1 when something said no, 2 for bad usage or input.</summary>
internal sealed class CliException(string message, int exitCode = CliException.Failure) : Exception(message)
{
    public const int Failure = 1;
    public const int Usage = 2;

    public int ExitCode { get; } = exitCode;

    public static CliException BadInput(string message) => new(message, Usage);
}
