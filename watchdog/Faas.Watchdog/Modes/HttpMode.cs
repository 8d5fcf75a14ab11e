using System.Net.Sockets;
using Faas.Proxy;
using Faas.Proxy.Upstream;
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
internal sealed class HttpMode(WatchdogConfig config, WatchdogLog log, Lifetime lifetime) : IFunctionMode, IDisposable
{
    private static readonly TimeSpan ChildStopGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest wait between checks of a starting function: a check is a refused connection until it listens, and a
    /// back-off to 50 ms found a function that took 45 ms to start only at 62 (bench/results/cold-start-local.md).
    /// </summary>
    private static readonly TimeSpan LongestUpstreamCheckDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>How long a stop waits for the end of the function's output once it exited (a child it left may hold it open).</summary>
    private static readonly TimeSpan OutputEndLimit = TimeSpan.FromSeconds(1);

    private readonly Uri _upstream = config.UpstreamUrl!;
    private readonly ForwardOptions _forwardOptions = new()
    {
        BufferRequestBody = config.BufferHttp,
        OnResponseStarting = static context => DurationHeader.Set(context.Response, context.Features.GetRequiredFeature<InvocationStart>().Timestamp),
    };
    private FunctionProcess? _child;
    private Task _output = Task.CompletedTask;

    /// <summary>Connections to the function, shared with the fast path.</summary>
    public UpstreamClient Client { get; } = new();

    public string UpstreamHost { get; } = config.UpstreamUrl!.Host;

    public int UpstreamPort => _upstream.Port;

    /// <summary>The upstream URL's path, without a trailing slash: requests go to it followed by their own target.</summary>
    public string UpstreamBasePath { get; } = config.UpstreamUrl!.AbsolutePath.TrimEnd('/');
    private volatile bool _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _child = FunctionProcess.Start(config.FunctionProcess, FunctionProcess.InheritedEnvironment(), [], ownGroup: false);
        var child = _child;
        _output = Task.WhenAll(
            log.LogOutputAsync(child.StandardOutput, FunctionStream.Stdout, config.LogBufferSize),
            log.LogOutputAsync(child.StandardError, FunctionStream.Stderr, config.LogBufferSize));
        child.StandardInput.Close();
        _ = WatchChildAsync(child);
        await WaitUntilUpstreamReadyAsync(child, cancellationToken);
    }

    public async Task InvokeAsync(HttpContext context, RequestDeadline deadline)
    {
        var target = new UpstreamTarget(UpstreamHost, _upstream.Port, RequestTarget(context));
        var result = await HttpForwarder.ForwardAsync(context, target, Client, _forwardOptions, deadline.Token);
        if (FailureAnswer(result, deadline.Expired, deadline.Limit) is var (status, message))
        {
            await PlainText.WriteAsync(context, status, message);
        }
    }

    /// <summary>The watchdog's own answer to a forward that failed before the response started; null when there is none to give.</summary>
    /// <param name="deadlineExpired">The invocation's limit passed (rather than the client going away).</param>
    public (int StatusCode, string Message)? FailureAnswer(ForwardResult result, bool deadlineExpired, TimeSpan limit) => result switch
    {
        ForwardResult.Timeout when deadlineExpired => (StatusCodes.Status504GatewayTimeout, $"{config.FunctionLabel} timed out after {limit.TotalSeconds:0.###}s"),
        ForwardResult.ConnectFailed => (StatusCodes.Status502BadGateway, $"cannot connect to the function at {_upstream}"),
        ForwardResult.UpstreamFailed or ForwardResult.Timeout => (StatusCodes.Status502BadGateway, $"the function at {_upstream} failed to answer"),
        _ => null,
    };

    public async Task StopAsync()
    {
        _stopping = true;
        if (_child is not null)
        {
            await _child.TerminateAsync(ChildStopGrace);
        }

        // Its lines are handed on from the thread pool: the last ones (why it died) are logged before the log closes.
        await _output.WaitAsync(OutputEndLimit).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        Client.Dispose();
        _child?.Dispose();
    }

    /// <summary>The request-target exactly as the client sent it (percent-encoding kept), behind the upstream's own base path.</summary>
    private string RequestTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var target = raw is not null && raw.StartsWith('/') ? raw : context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        return UpstreamBasePath.Length == 0 ? target : UpstreamBasePath + target;
    }

    private async Task WatchChildAsync(FunctionProcess child)
    {
        var exitCode = await child.Exited;
        if (!_stopping)
        {
            log.Info($"function process exited with code {exitCode}; stopping so the replica is restarted");
            lifetime.RequestFailureStop(exitCode: 1);
        }
    }

    private async Task WaitUntilUpstreamReadyAsync(FunctionProcess child, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(1);
        while (!await IsUpstreamReadyAsync(cancellationToken))
        {
            if (child.HasExited)
            {
                return;
            }

            await Task.Delay(delay, cancellationToken);
            delay = delay * 2 < LongestUpstreamCheckDelay ? delay * 2 : LongestUpstreamCheckDelay;
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

            var status = await Client.GetStatusAsync(_upstream.Host, _upstream.Port, config.ReadyPath, cancellationToken);
            return status is >= 200 and < 300;
        }
        catch (Exception error) when (error is SocketException or IOException)
        {
            return false;
        }
    }
}
