using System.Diagnostics;
using System.Globalization;
using System.Net;
using Faas.Gateway.Triggers;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Async;

/// <summary>
/// Takes async requests from the queue, up to <c>MaxInflight</c> at once, and invokes each through the gateway's own
/// route (the same resolver and proxy as sync calls). 429, 502, 503, 504 and connection failures are retried with
/// exponential backoff; after the last attempt the request goes to the dead letters. The result goes to the
/// request's <c>X-Callback-Url</c>. A request is acknowledged only once invoked and reported, so a worker that dies
/// mid-way loses nothing: the queue hands the request out again.
/// </summary>
public sealed class QueueWorker(IAsyncQueue queue, GatewayInvoker invoker, CallbackSender callbacks, IOptions<AsyncOptions> options, ILogger<QueueWorker> log) : BackgroundService
{
    private static readonly HashSet<HttpStatusCode> Retryable =
        [HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

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

                var taken = await queue.TakeAsync(free, TimeSpan.FromSeconds(5), stoppingToken);

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
            catch (Exception error) when (error is Faas.Nats.NatsException or IOException)
            {
                log.LogWarning("The async queue failed: {Error}; retrying", error.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
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
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var keepAlive = KeepAliveAsync(item, settings.AckWait / 3, done.Token);
        try
        {
            var clock = Stopwatch.StartNew();
            HttpResponseMessage? response = null;
            string? failure = null;
            try
            {
                using var body = new ReadOnlyMemoryContent(request.Body);
                response = await invoker.InvokeAsync(request.Function, new HttpMethod(request.Method), body,
                    [.. request.Headers.Where(h => !h.Key.Equals("X-Call-Id", StringComparison.OrdinalIgnoreCase)), new("X-Call-Id", request.CallId)],
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
                    var delay = TimeSpan.FromTicks(Math.Min(settings.RetryDelay.Ticks << (int)Math.Min(item.Attempt - 1, 20), settings.MaxRetryDelay.Ticks));
                    log.LogInformation("Async call {CallId} to {Function}: {Outcome} on attempt {Attempt}; retrying in {Delay}", request.CallId, request.Function, failure ?? ((int)response!.StatusCode).ToString(CultureInfo.InvariantCulture), item.Attempt, delay);
                    await item.RetryAsync(delay, stoppingToken);
                    return;
                }

                var status = response is null ? 502 : (int)response.StatusCode;
                var result = response is null ? System.Text.Encoding.UTF8.GetBytes($"{request.Function} could not be invoked: {failure}\n") : await response.Content.ReadAsByteArrayAsync(stoppingToken);
                await callbacks.SendAsync(request, status, result, response?.Content.Headers.ContentType?.ToString(), clock.Elapsed, stoppingToken);
                if (retryable)
                {
                    await item.DeadLetterAsync($"{status} after {item.Attempt} attempts{(failure is null ? "" : ": " + failure)}", stoppingToken);
                }
                else
                {
                    await item.CompleteAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Not acknowledged: the queue hands it out again after the ack wait.
        }
        catch (Exception error) when (error is Faas.Nats.NatsException or IOException)
        {
            log.LogWarning("Async call {CallId}: {Error}; it will be delivered again", request.CallId, error.Message);
        }
        finally
        {
            await done.CancelAsync();
            await keepAlive;
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
        catch (Exception error) when (error is OperationCanceledException or Faas.Nats.NatsException)
        {
        }
    }
}
