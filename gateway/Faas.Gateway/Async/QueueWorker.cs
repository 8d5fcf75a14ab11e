using System.Diagnostics;
using System.Globalization;
using System.Net;
using Faas.Conventions;
using Faas.Gateway.Calls;
using Faas.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Async;

/// <summary>
/// Takes async requests from the queue, up to <c>MaxInflight</c> at once, and invokes each through the gateway's own
/// route (the same resolver and proxy as sync calls). 429, 502, 503, 504 and connection failures are retried with
/// exponential backoff; the result goes to the request's <c>X-Callback-Url</c>. A request is acknowledged only once
/// invoked and reported, so a worker that dies mid-way loses nothing: the queue hands it out again. Nothing is retried
/// forever: a request handed out more than <c>MaxAttempts</c> times (however its earlier attempts ended, crashes
/// included), one that fails in an unexpected way, and one whose callback cannot be delivered go to the dead letters
/// with the reason (and the function's answer, when there is one).
/// </summary>
internal sealed partial class QueueWorker(IAsyncQueue queue, InternalInvoker invoker, CallbackSender callbacks, AsyncStats stats, IOptions<AsyncOptions> options, ILogger<QueueWorker> log) : BackgroundService
{
    private static readonly HashSet<HttpStatusCode> Retryable =
        [HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    /// <summary>After the queue failed (NATS down), wait this long before asking again.</summary>
    private static readonly TimeSpan QueueRetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.MaxInflight);
        var running = new HashSet<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                var free = 1;
                while (free < settings.MaxInflight && slots.Wait(0))
                {
                    free++;
                }

                IReadOnlyList<IQueuedRequest> taken;
                try
                {
                    taken = await queue.TakeAsync(free, TimeSpan.FromSeconds(5), stoppingToken);
                }
                catch
                {
                    slots.Release(free);
                    throw;
                }

                // Slots not filled go back at once; each taken request returns its own when done.
                if (free - taken.Count is var unused and > 0)
                {
                    slots.Release(unused);
                }

                foreach (var item in taken)
                {
                    var task = ProcessAsync(item, stoppingToken).ContinueWith(_ => slots.Release(), TaskScheduler.Default);
                    lock (running)
                    {
                        running.Add(task);
                    }

                    _ = task.ContinueWith(done => { lock (running) { running.Remove(done); } }, TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                // Whatever went wrong taking requests, the loop goes on: it is the only thing that runs async calls.
                LogQueueFailed(log, error.Message);
                await Task.Delay(QueueRetryDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        Task[] remaining;
        lock (running)
        {
            remaining = [.. running];
        }

        await Task.WhenAll(remaining);
    }

    private async Task ProcessAsync(IQueuedRequest item, CancellationToken stoppingToken)
    {
        var request = item.Request;
        var settings = options.Value;
        var counts = stats.For(request.Function);
        counts.Started();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var keepAlive = KeepAliveAsync(item, settings.AckWait / 3, done.Token);
        try
        {
            if (item.Attempt > settings.MaxAttempts)
            {
                // Earlier attempts never finished (the worker died, or NATS lost the acknowledgement): do not run it again.
                await GiveUpAsync(item, $"handed out {item.Attempt} times without finishing (Async:MaxAttempts is {settings.MaxAttempts})", null, stoppingToken);
                return;
            }

            await InvokeAndReportAsync(item, settings, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Not acknowledged: the queue hands it out again after the ack wait.
        }
        catch (QueueUnavailableException error)
        {
            // The outcome could not be recorded; the queue hands it out again and the attempt count bounds the repeats.
            LogOutcomeLost(log, request.CallId, error.Message);
        }
        catch (Exception error)
        {
            LogUnexpected(log, request.CallId, request.Function.ToString(), error);
            await TryGiveUpAsync(item, $"the worker failed: {error.GetType().Name}: {error.Message}", stoppingToken);
        }
        finally
        {
            counts.Stopped();
            await done.CancelAsync();
            await keepAlive;
        }
    }

    private async Task InvokeAndReportAsync(IQueuedRequest item, AsyncOptions settings, CancellationToken stoppingToken)
    {
        var request = item.Request;
        var clock = Stopwatch.StartNew();
        HttpResponseMessage? response = null;
        string? failure = null;
        try
        {
            using var body = new ReadOnlyMemoryContent(request.Body);
            response = await invoker.InvokeAsync(request.Function, new HttpMethod(request.Method), body,
                [.. request.Headers.Where(h => !h.Key.Equals(InvocationHeaders.CallId, StringComparison.OrdinalIgnoreCase)), new(InvocationHeaders.CallId, request.CallId)],
                stoppingToken, request.PathAndQuery);
        }
        catch (HttpRequestException error)
        {
            failure = error.Message;
        }

        using (response)
        {
            var retryable = response is null || Retryable.Contains(response.StatusCode);
            if (retryable && item.Attempt < settings.MaxAttempts)
            {
                var delay = settings.RetryDelayAfter(item.Attempt);
                LogRetrying(log, request.CallId, request.Function.ToString(), failure ?? ((int)response!.StatusCode).ToString(CultureInfo.InvariantCulture), item.Attempt, delay);
                stats.For(request.Function).Retried();
                await item.RetryAsync(delay, stoppingToken);
                return;
            }

            var status = response is null ? 502 : (int)response.StatusCode;
            var result = new AsyncResult(status,
                response is null ? System.Text.Encoding.UTF8.GetBytes($"{request.Function} could not be invoked: {failure}\n") : await response.Content.ReadAsByteArrayAsync(stoppingToken),
                response?.Content.Headers.ContentType?.ToString());
            if (await callbacks.SendAsync(request, result, clock.Elapsed, stoppingToken) is { } undelivered)
            {
                await GiveUpAsync(item, $"its callback to {request.CallbackUrl} could not be delivered: {undelivered}", result, stoppingToken);
            }
            else if (retryable)
            {
                await GiveUpAsync(item, $"{status} after {item.Attempt} attempts{(failure is null ? "" : ": " + failure)}", null, stoppingToken);
            }
            else
            {
                await item.CompleteAsync(stoppingToken);
                stats.For(request.Function).Finished();
            }
        }
    }

    private async Task GiveUpAsync(IQueuedRequest item, string reason, AsyncResult? result, CancellationToken cancellationToken)
    {
        LogDeadLettered(log, item.Request.CallId, item.Request.Function.ToString(), reason);
        await item.DeadLetterAsync(reason, result, cancellationToken);
        stats.For(item.Request.Function).DeadLettered();
    }

    /// <summary>Dead-letters after an unexpected failure; if even that fails, the attempt count ends it on a later delivery.</summary>
    private async Task TryGiveUpAsync(IQueuedRequest item, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await GiveUpAsync(item, reason, null, cancellationToken);
        }
        catch (Exception error) when (error is QueueUnavailableException or OperationCanceledException)
        {
            LogOutcomeLost(log, item.Request.CallId, error.Message);
        }
    }

    private static async Task KeepAliveAsync(IQueuedRequest item, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, cancellationToken);
                await item.KeepAliveAsync(cancellationToken);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or QueueUnavailableException or NATS.Client.Core.NatsException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The async queue failed: {Error}; asking again shortly")]
    private static partial void LogQueueFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Async call {CallId} to {Function}: {Outcome} on attempt {Attempt}; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string callId, string function, string outcome, long attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Async call {CallId} to {Function} moved to the dead letters: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string callId, string function, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Async call {CallId}: its outcome could not be recorded ({Error}); it will be handed out again")]
    private static partial void LogOutcomeLost(ILogger logger, string callId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Async call {CallId} to {Function} failed in the worker")]
    private static partial void LogUnexpected(ILogger logger, string callId, string function, Exception error);
}
