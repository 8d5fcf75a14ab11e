using System.Collections.Concurrent;
using System.Diagnostics;

namespace Faas.Harness;

/// <summary>
/// Steady traffic for fault drills: <c>concurrency</c> callers each sending one request after another until stopped,
/// every outcome recorded with when it finished, so a drill can say which requests failed and around what moment.
/// </summary>
public sealed class LoadLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _callers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private LoadLoop(int concurrency, Func<int, CancellationToken, Task<string>> send)
    {
        _callers = [.. Enumerable.Range(0, concurrency).Select(caller => Task.Run(async () =>
        {
            var sequence = 0;
            while (!_stop.IsCancellationRequested)
            {
                var request = caller * 1_000_000 + sequence++;
                string outcome;
                try
                {
                    outcome = await send(request, _stop.Token);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
                {
                    outcome = $"error: {error.Message}";
                }

                Outcomes.Add(new Outcome(request, outcome, _clock.Elapsed));
            }
        }))];
    }

    public sealed record Outcome(int Request, string Result, TimeSpan FinishedAt);

    public ConcurrentBag<Outcome> Outcomes { get; } = [];

    /// <summary>Time since the loop started, to mark the moment a fault is injected.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <param name="send">Sends request number N and returns its outcome ("200", "503 ...", anything a drill compares).</param>
    public static LoadLoop Start(int concurrency, Func<int, CancellationToken, Task<string>> send) => new(concurrency, send);

    /// <summary>POSTs to <paramref name="url"/>; the outcome is the status code and, when not 200, the body.</summary>
    public static LoadLoop Post(string url, int concurrency) => Start(concurrency, async (request, cancellationToken) =>
    {
        using var response = await TestHttp.Client.PostAsync(url, new StringContent(request.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        var code = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return response.IsSuccessStatusCode ? code : $"{code} {await response.Content.ReadAsStringAsync(cancellationToken)}";
    });

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_callers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
