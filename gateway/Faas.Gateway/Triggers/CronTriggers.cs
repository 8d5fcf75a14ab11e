using System.Globalization;
using Faas.Gateway.Calls;
using Faas.Gateway.Metrics;
using Faas.Provider;
using Faas.Provider.Triggers;

namespace Faas.Gateway.Triggers;

/// <summary>
/// Invokes every function with a <c>schedule</c> annotation when its cron schedule (UTC) comes due: at each minute
/// boundary, a POST with no body and <c>X-Connector: cron</c>, as OpenFaaS' cron-connector sends. Definitions are read
/// from the provider each minute, so deploying, updating or removing a function takes effect at the next minute.
/// </summary>
internal sealed class CronTriggers(IFunctionProvider provider, InternalInvoker invoker, GatewayMetrics metrics, TimeProvider time, ILogger<CronTriggers> log) : BackgroundService
{
    public const string TriggerName = "cron";

    /// <summary>Invokes the functions due at <paramref name="minute"/> and waits for their answers.</summary>
    public async Task FireDueAsync(DateTime minute, CancellationToken cancellationToken)
    {
        var due = new List<FunctionKey>();
        foreach (var function in await provider.ListAllAsync(cancellationToken))
        {
            if (function.Annotations?.GetValueOrDefault(TriggerAnnotations.Schedule) is { } text &&
                CronSchedule.TryParse(text, out var schedule, out _) &&
                schedule!.Next(minute.AddMinutes(-1)) == minute)
            {
                due.Add(function.Key());
            }
        }

        await Task.WhenAll(due.Select(function => InvokeAsync(function, minute, cancellationToken)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var next = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);

                // Of several gateway replicas, only the one the backend elected fires, so a schedule fires once.
                if (provider.IsLeader)
                {
                    await FireDueAsync(next, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                log.LogWarning("Cron triggers at {Minute:u} could not list functions: {Error}", next, error.Message);
            }
        }
    }

    private async Task InvokeAsync(FunctionKey function, DateTime minute, CancellationToken cancellationToken)
    {
        string code;
        try
        {
            using var response = await invoker.InvokeAsync(function, HttpMethod.Post, null,
                [new("X-Connector", TriggerName), new("X-Topic", "cron-function"), new("X-Schedule-Time", minute.ToString("O", CultureInfo.InvariantCulture))], cancellationToken);
            code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("Cron invocation of {Function} at {Minute:u} answered {Status}", function, minute, code);
            }
        }
        catch (HttpRequestException error)
        {
            code = "error";
            log.LogWarning("Cron invocation of {Function} at {Minute:u} failed: {Error}", function, minute, error.Message);
        }

        metrics.TriggerInvocations.WithLabels(function.ToString(), TriggerName, code).Inc();
    }
}
