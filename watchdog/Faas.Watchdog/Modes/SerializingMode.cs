using System.Text;
using Faas.Proxy;
using Faas.Watchdog.Config;
using Faas.Watchdog.Http;
using Faas.Watchdog.Logging;
using Faas.Watchdog.Processes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Watchdog.Modes;

/// <summary>
/// One process per request with the whole output buffered: 200 with the output on exit code 0, 500 with
/// stderr otherwise, 504 at the deadline. With <c>combine_output</c> stderr follows stdout in the body.
/// </summary>
internal sealed class SerializingMode(WatchdogConfig config, WatchdogLog log) : IFunctionMode
{
    private readonly IReadOnlyDictionary<string, string> _inheritedEnvironment = FunctionProcess.InheritedEnvironment();

    public async Task InvokeAsync(HttpContext context, RequestDeadline deadline)
    {
        var started = context.Features.GetRequiredFeature<InvocationStart>().Timestamp;
        log.Forking();
        using var process = FunctionProcess.Start(config.FunctionProcess, _inheritedEnvironment, CgiEnvironment.For(context.Request), ownGroup: true);
        using var kill = deadline.Token.Register(process.Kill);

        var stdout = new MemoryStream();
        var stderrText = new StringBuilder();
        var stdin = StdinFeeder.FeedAsync(context.Request.Body, process.StandardInput, deadline.Token);
        var stderr = log.LogOutputAsync(process.StandardError, FunctionStream.Stderr, config.LogBufferSize, stderrText);
        try
        {
            await process.StandardOutput.CopyToAsync(stdout, deadline.Token);
            await stderr;
        }
        catch (OperationCanceledException)
        {
            process.Kill();
        }

        var exitCode = await process.Exited;
        await stdin;

        if (deadline.Expired)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status504GatewayTimeout, $"{config.FunctionLabel} timed out after {deadline.Limit.TotalSeconds:0.###}s");
            return;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (exitCode != 0)
        {
            var reason = stderrText.Length > 0 ? stderrText.ToString().TrimEnd() : $"function exited with code {exitCode}";
            await PlainText.WriteAsync(context, StatusCodes.Status500InternalServerError, reason);
            return;
        }

        if (config.CombineOutput)
        {
            stdout.Write(Encoding.UTF8.GetBytes(stderrText.ToString()));
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = config.ContentType;
        response.ContentLength = stdout.Length;
        DurationHeader.Set(response, started);
        await response.Body.WriteAsync(stdout.GetBuffer().AsMemory(0, (int)stdout.Length), context.RequestAborted);
        log.Wrote(stdout.Length, started);
    }
}
