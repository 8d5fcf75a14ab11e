using Faas.Proxy;
using Faas.Watchdog.Config;
using Faas.Watchdog.Http;
using Faas.Watchdog.Logging;
using Faas.Watchdog.Processes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Watchdog.Modes;

/// <summary>
/// One process per request: the request body is its stdin and its stdout is streamed to the client as it is
/// produced. stderr goes to the log, or into the body with <c>combine_output</c>. At the deadline the whole
/// process group is killed: 504 if nothing was sent yet, otherwise the connection is cut.
/// </summary>
internal sealed class StreamingMode(WatchdogConfig config, WatchdogLog log) : IFunctionMode
{
    private readonly IReadOnlyDictionary<string, string> _inheritedEnvironment = FunctionProcess.InheritedEnvironment();

    public async Task InvokeAsync(HttpContext context, RequestDeadline deadline)
    {
        var started = context.Features.GetRequiredFeature<InvocationStart>().Timestamp;
        log.Forking();
        using var process = FunctionProcess.Start(config.FunctionProcess, _inheritedEnvironment, CgiEnvironment.For(context.Request), ownGroup: true);
        using var kill = deadline.Token.Register(process.Kill);
        using var output = new StreamedResponse(context.Response, config.ContentType, started);

        var stdin = StdinFeeder.FeedAsync(context.Request.Body, process.StandardInput, deadline.Token);
        var stderr = config.CombineOutput
            ? output.CopyFromAsync(process.StandardError, deadline.Token)
            : log.LogOutputAsync(process.StandardError, FunctionStream.Stderr, config.LogBufferSize);
        try
        {
            await output.CopyFromAsync(process.StandardOutput, deadline.Token);
            await stderr;
        }
        catch (Exception error) when (error is OperationCanceledException or IOException)
        {
            process.Kill();
        }

        var exitCode = await process.Exited;
        await stdin;
        log.Wrote(output.BytesWritten, started);

        if (deadline.Expired)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status504GatewayTimeout, $"{config.FunctionLabel} timed out after {deadline.Limit.TotalSeconds:0.###}s");
        }
        else if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        else if (exitCode != 0 && !output.Started)
        {
            await PlainText.WriteAsync(context, StatusCodes.Status500InternalServerError, $"function exited with code {exitCode}");
        }
        else
        {
            output.StartIfNeeded();
        }
    }
}
