using Docker.DotNet.Models;

namespace Faas.Docker;

/// <summary>
/// The progress stream of a pull, import, build or push. The Engine answers 200 and reports a failed step as an
/// <c>error</c> line, so a call is done only once <see cref="ThrowIfFailed"/> finds none. Lines reach
/// <paramref name="output"/> as they come, on the reading thread (unlike <see cref="Progress{T}"/>, which reorders).
/// </summary>
public sealed class EngineProgress(Action<string>? output = null) : IProgress<JSONMessage>
{
    private string? _error;

    public void Report(JSONMessage value)
    {
        if (value.Error?.Message is { Length: > 0 } error)
        {
            _error ??= error.Trim();
            return;
        }

        if ((value.Stream ?? value.Status)?.TrimEnd('\n') is { Length: > 0 } text)
        {
            output?.Invoke(text);
        }
    }

    /// <summary>An <see cref="EngineProgressException"/> with the first error line, if there was one.</summary>
    public void ThrowIfFailed(string operation)
    {
        if (_error is not null)
        {
            throw new EngineProgressException($"{operation}: {_error}");
        }
    }
}

/// <summary>An <c>error</c> line in an Engine progress stream.</summary>
public sealed class EngineProgressException(string message) : Exception(message);
