using System.Globalization;
using System.Text;
using Faas.Conventions;
using Faas.Proxy.FastPath;

namespace Faas.Watchdog.FastPath;

/// <summary>
/// Recognises the requests the fast path serves (see <see cref="RequestHeadReader"/> for which) and encodes them for the
/// upstream in the same pass, when the head and the whole body are at hand.
/// </summary>
internal sealed class FastPathRequestParser(string upstreamHost, int upstreamPort, string upstreamBasePath, bool keepTarget)
{
    /// <summary>Largest request (head and body) held whole in memory; larger bodies are streamed by Kestrel's path.</summary>
    public const int MaxRequestSize = 64 * 1024;

    private readonly byte[] _upstreamHostLine = Encoding.ASCII.GetBytes($"Host: {upstreamHost}:{upstreamPort.ToString(CultureInfo.InvariantCulture)}\r\n");
    private readonly byte[] _upstreamBasePath = Encoding.ASCII.GetBytes(upstreamBasePath);

    public RequestRoute Parse(ReadOnlySpan<byte> input, FastPathRequest request)
    {
        if (!RequestHeadReader.TryStart(input, out var head))
        {
            return RequestRoute.Kestrel;
        }

        var route = head.Path.SequenceEqual("/_/health"u8) ? RequestRoute.Health
            : head.Path.SequenceEqual("/_/ready"u8) ? RequestRoute.Ready
            : RequestRoute.Invocation;
        var upstream = request.Upstream;
        upstream.Clear();
        upstream.Append(head.MethodAndSpace);
        upstream.Append(_upstreamBasePath);
        upstream.Append(head.Target);
        upstream.Append(" HTTP/1.1\r\n"u8);
        upstream.Append(_upstreamHostLine);

        var timeouts = 0;
        string? timeout = null;
        while (head.Next(out var line, out var name, out var value))
        {
            if (Ascii.EqualsIgnoreCase(name, InvocationHeaders.TimeoutBytes))
            {
                timeouts++;
                timeout = Encoding.ASCII.GetString(value);
            }

            upstream.Append(line);
            upstream.Append("\r\n"u8);
        }

        var length = head.HeadLength + head.BodyLength;
        if (head.Unsupported || timeouts > 1 || length > MaxRequestSize)
        {
            return RequestRoute.Kestrel;
        }

        if (input.Length < length)
        {
            return RequestRoute.Incomplete;
        }

        if (head.BodyLength > 0)
        {
            upstream.Header("Content-Length"u8, head.BodyLength);
        }

        upstream.Append("\r\n"u8);
        upstream.Append(head.Body(input));
        request.Length = (int)length;
        request.Method = head.Method;
        request.Timeout = timeout;
        request.Target = keepTarget ? Encoding.ASCII.GetString(head.Target) : null;
        return route;
    }
}
