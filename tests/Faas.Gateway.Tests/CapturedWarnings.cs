using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Faas.Gateway.Tests;

/// <summary>
/// The gateway's warnings and errors, kept in memory so a failed test can say what the gateway saw (its console
/// output is not shown by the test runner). Bounded: the most recent lines are kept.
/// </summary>
public sealed class CapturedWarnings : ILoggerProvider
{
    private const int MaxLines = 500;
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public override string ToString() => _lines.IsEmpty ? "(the gateway logged no warnings)" : "the gateway's warnings:\n" + string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(CapturedWarnings owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
            }
        }
    }
}
