using System.Buffers;
using System.Text;
using Faas.Conventions;
using Faas.Gateway.Security;
using Faas.Proxy.FastPath;

namespace Faas.Gateway.Invoke.FastPath;

/// <summary>
/// Recognises the invocations the fast path serves and encodes what the replica gets of them. Beyond what every fast
/// path takes (see <see cref="RequestHeadReader"/>): <c>/function/NAME[.NAMESPACE]</c> with a name of lower-case
/// letters, digits, '-' and '.', a checked <c>X-Call-Id</c> and <c>X-Timeout</c> at most once each, one
/// X-Forwarded-For, X-Forwarded-Host and traceparent at most, and no credentials: Authorization, the dashboard's session
/// cookie and the internal token are taken off on Kestrel's path, so a request carrying one goes there (as does a
/// malformed X-Call-Id or X-Timeout, which is answered 400 there).
/// </summary>
internal static class InvokeRequestParser
{
    /// <summary>Largest request (head and body) held whole in memory; larger bodies are streamed by Kestrel's path.</summary>
    public const int MaxRequestSize = 64 * 1024;

    private static readonly SearchValues<byte> NameBytes = SearchValues.Create("-.0123456789abcdefghijklmnopqrstuvwxyz"u8);

    private static readonly byte[] InternalCallerHeader = Encoding.ASCII.GetBytes(InternalCaller.Header);

    private static ReadOnlySpan<byte> Prefix => "/function/"u8;

    /// <param name="function">The <c>NAME[.NAMESPACE]</c> segment, when the request is one the fast path takes.</param>
    /// <param name="clientAddress">The client's address, for X-Forwarded-For.</param>
    public static FastPathRoute Parse(ReadOnlySpan<byte> input, InvokeRequest request, long? maxBodySize, ReadOnlySpan<byte> clientAddress, out ReadOnlySpan<byte> function)
    {
        function = default;
        if (!RequestHeadReader.TryStart(input, out var head) || !head.Path.StartsWith(Prefix))
        {
            return FastPathRoute.Kestrel;
        }

        var afterPrefix = head.Target[Prefix.Length..];
        var nameEnd = afterPrefix.IndexOfAny((byte)'/', (byte)'?');
        var name = nameEnd < 0 ? afterPrefix : afterPrefix[..nameEnd];
        if (name.IsEmpty || name.ContainsAnyExcept(NameBytes))
        {
            return FastPathRoute.Kestrel;
        }

        var fields = request.Fields;
        fields.Clear();
        request.CallId = request.Timeout = null;
        string? traceParent = null;
        ReadOnlySpan<byte> forwardedFor = default, forwardedHost = default;
        var (forwardedFors, forwardedHosts) = (0, 0);
        while (head.Next(out var line, out var field, out var value))
        {
            switch (Classify(field, value))
            {
                case Field.Passed:
                    fields.Append(line);
                    fields.Append("\r\n"u8);
                    break;
                case Field.CallId when request.CallId is null && Encoding.ASCII.GetString(value) is var callId && Calls.CallId.Check(callId) is null:
                    request.CallId = callId;
                    break;
                case Field.Timeout when request.Timeout is null && Encoding.ASCII.GetString(value) is var timeout && RequestTimeout.Check(timeout) is null:
                    request.Timeout = timeout;
                    break;
                case Field.TraceParent when traceParent is null:
                    traceParent = Encoding.ASCII.GetString(value);
                    break;
                case Field.ForwardedFor:
                    forwardedFors++;
                    forwardedFor = value;
                    break;
                case Field.ForwardedHost:
                    forwardedHosts++;
                    forwardedHost = value;
                    break;
                case Field.Replaced:
                    break;
                default:
                    return FastPathRoute.Kestrel;
            }
        }

        var length = head.HeadLength + head.BodyLength;
        if (head.Unsupported || forwardedFors > 1 || forwardedHosts > 1 || length > MaxRequestSize || head.BodyLength > maxBodySize)
        {
            return FastPathRoute.Kestrel;
        }

        if (input.Length < length)
        {
            return FastPathRoute.Incomplete;
        }

        // What Kestrel's path adds (see InvokeRoute): the chain of forwarders, the host the caller asked for, the scheme.
        fields.Append("X-Forwarded-For: "u8);
        if (forwardedFors == 1)
        {
            fields.Append(forwardedFor);
            fields.Append(", "u8);
        }

        fields.Append(clientAddress);
        fields.Append("\r\nX-Forwarded-Host: "u8);
        fields.Append(forwardedHosts == 1 ? forwardedHost : head.Host);
        fields.Append("\r\nX-Forwarded-Proto: http\r\n"u8);
        fields.Header("traceparent"u8, InvocationTracing.PassedOn(traceParent));

        var requestLine = request.RequestLine;
        requestLine.Clear();
        requestLine.Append(head.MethodAndSpace);
        var rest = nameEnd < 0 ? default : afterPrefix[nameEnd..];
        if (rest.IsEmpty || rest[0] != (byte)'/')
        {
            requestLine.Append("/"u8);
        }

        requestLine.Append(rest);
        requestLine.Append(" HTTP/1.1\r\n"u8);
        request.Body.Clear();
        request.Body.Append(head.Body(input));
        request.Method = head.Method;
        request.Length = (int)length;
        function = name;
        return FastPathRoute.Serve;
    }

    private enum Field
    {
        Passed,
        CallId,
        Timeout,
        TraceParent,
        ForwardedFor,
        ForwardedHost,
        Replaced,
        Kestrel,
    }

    private static Field Classify(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // Most fields are none of these: one length test rules nearly all out.
        return name.Length switch
        {
            9 when Ascii.EqualsIgnoreCase(name, InvocationHeaders.CallIdBytes) => Field.CallId,
            9 when Ascii.EqualsIgnoreCase(name, InvocationHeaders.TimeoutBytes) => Field.Timeout,
            11 when Ascii.EqualsIgnoreCase(name, "traceparent"u8) => Field.TraceParent,
            15 when Ascii.EqualsIgnoreCase(name, "X-Forwarded-For"u8) => Field.ForwardedFor,
            16 when Ascii.EqualsIgnoreCase(name, "X-Forwarded-Host"u8) => Field.ForwardedHost,
            12 when Ascii.EqualsIgnoreCase(name, InvocationHeaders.StartTimeBytes) => Field.Replaced,
            17 when Ascii.EqualsIgnoreCase(name, "X-Forwarded-Proto"u8) => Field.Replaced,
            13 when Ascii.EqualsIgnoreCase(name, "Authorization"u8) => Field.Kestrel,
            6 when Ascii.EqualsIgnoreCase(name, "Cookie"u8) && value.IndexOf(DashboardSessions.CookieNameBytes) >= 0 => Field.Kestrel,
            _ when Ascii.EqualsIgnoreCase(name, InternalCallerHeader) => Field.Kestrel,
            _ => Field.Passed,
        };
    }
}
