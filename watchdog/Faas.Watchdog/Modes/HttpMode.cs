using System.Net.Sockets;
using Faas.Proxy;
using Faas.Watchdog.Config;
using Faas.Watchdog.Http;
using Faas.Watchdog.Logging;
using Faas.Watchdog.Processes;
using Faas.Watchdog.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Faas.Watchdog.Modes;

/// <summary>
/// Starts <c>fprocess</c> once and reverse-proxies every request to <c>upstream_url</c>, streaming both ways
/// (or buffering the request with <c>buffer_http</c>). Ready once the upstream answers <c>ready_path</c> with a
/// 2xx, or, without a ready path, accepts a TCP connection. If the child exits, the watchdog exits non-zero.
/// </summary>
public sealed class HttpMode(WatchdogConfig config, WatchdogLog log, Lifetime lifetime) : IFunctionMode, IDisposable
{
    private static readonly TimeSpan ChildStopGrace = TimeSpan.FromSeconds(5);

    private readonly HttpMessageInvoker _invoker = HttpForwarder.CreateInvoker(TimeSpan.FromSeconds(5));
    private readonly Uri _upstream = config.UpstreamUrl!;
    private readonly string _upstreamPrefix = config.UpstreamUrl!.GetLeftPart(UriPartial.Authority);
    private readonly ForwardOptions _forwardOptions = new()
    {
        BufferRequestBody = config.BufferHttp,
        TransformResponse = static (context, _) => DurationHeader.Set(context.Response, context.Features.GetRequiredFeature<InvocationStart>().Timestamp),
    };
    private FunctionProcess? _child;
    private volatile bool _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _child = FunctionProcess.Start(config.FunctionProcess, [], ownGroup: false);
        var child = _child;
        _ = LinePump.PumpAsync(child.StandardOutput, FunctionStream.Stdout, log, config.LogBufferSize);
        _ = LinePump.PumpAsync(child.StandardError, FunctionStream.Stderr, log, config.LogBufferSize);
        child.StandardInput.Close();
        _ = WatchChildAsync(child);
        await WaitUntilUpstreamReadyAsync(child, cancellationToken);
    }

    public async Task InvokeAsync(HttpContext context, InvocationDeadline deadline)
    {
        var request = context.Request;
        var destination = new Uri(_upstreamPrefix + request.Path.Value + request.QueryString.Value, UriKind.Absolute);

        var result = await HttpForwarder.ForwardAsync(context, destination, _invoker, _forwardOptions, deadline.Token);
        switch (result)
        {
            case ForwardResult.Timeout when deadline.Expired:
                await PlainText.WriteAsync(context, StatusCodes.Status504GatewayTimeout, $"function timed out after {deadline.Limit.TotalSeconds:0.###}s");
                break;
            case ForwardResult.ConnectFailed:
                await PlainText.WriteAsync(context, StatusCodes.Status502BadGateway, $"cannot connect to the function at {_upstream}");
                break;
            case ForwardResult.UpstreamFailed or ForwardResult.Timeout:
                await PlainText.WriteAsync(context, StatusCodes.Status502BadGateway, $"the function at {_upstream} failed to answer");
                break;
        }
    }

    public async Task StopAsync()
    {
        _stopping = true;
        if (_child is not null)
        {
            await _child.TerminateAsync(ChildStopGrace);
        }
    }

    public void Dispose()
    {
        _invoker.Dispose();
        _child?.Dispose();
    }

    private async Task WatchChildAsync(FunctionProcess child)
    {
        await child.WaitForExitAsync(CancellationToken.None);
        if (!_stopping)
        {
            log.Info($"function process exited with code {child.ExitCode}; stopping so the replica is restarted");
            lifetime.RequestFailureStop(exitCode: 1);
        }
    }

    private async Task WaitUntilUpstreamReadyAsync(FunctionProcess child, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(2);
        while (!await IsUpstreamReadyAsync(cancellationToken))
        {
            if (child.HasExited)
            {
                return;
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
        }
    }

    private async Task<bool> IsUpstreamReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (config.ReadyPath is null)
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(_upstream.Host, _upstream.Port, cancellationToken);
                return true;
            }

            using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(_upstream, config.ReadyPath));
            using var response = await _invoker.SendAsync(probe, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception error) when (error is SocketException or HttpRequestException)
        {
            return false;
        }
    }
}
