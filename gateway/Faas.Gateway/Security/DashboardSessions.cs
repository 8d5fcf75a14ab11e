using System.Collections.Concurrent;
using Faas.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Security;

/// <summary>
/// Dashboard sign-ins: a random token in an <c>HttpOnly</c>, <c>SameSite=Strict</c> cookie, kept in memory only, so the
/// page never holds the admin password and a gateway restart signs everyone out. A session ends when signed out or
/// after <c>Dashboard:SessionIdleTimeout</c> without use; at most <see cref="Limit"/> live at once (the oldest go first).
/// </summary>
internal sealed class DashboardSessions(IOptions<GatewayOptions> options, DashboardOrigin origin, TimeProvider time)
{
    public const string CookieName = "faas_session";

    /// <summary><see cref="CookieName"/> as the fast path reads and writes it (SessionCookieTests hold the two equal).</summary>
    public static ReadOnlySpan<byte> CookieNameBytes => "faas_session"u8;

    /// <summary>The header a signed-in page sends with every change, which a cross-site form or link cannot send.</summary>
    public const string ChangeHeader = "X-Faas-Dashboard";

    public const int Limit = 1000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastUse = new(StringComparer.Ordinal);

    private TimeSpan IdleTimeout => options.Value.Dashboard.SessionIdleTimeout;

    public string Open()
    {
        var token = Convert.ToHexStringLower(Faas.Posix.KernelRandom.GetBytes(32));
        var now = time.GetUtcNow();
        if (_lastUse.Count >= Limit)
        {
            foreach (var (old, _) in _lastUse.Where(session => now - session.Value > IdleTimeout).ToList())
            {
                _lastUse.TryRemove(old, out _);
            }

            foreach (var (old, _) in _lastUse.OrderBy(session => session.Value).Take(_lastUse.Count - Limit + 1).ToList())
            {
                _lastUse.TryRemove(old, out _);
            }
        }

        _lastUse[token] = now;
        return token;
    }

    /// <summary>
    /// Whether the request carries a live session's cookie, on the dashboard's port, not from a function's page (and, for
    /// changes, with the dashboard's header); a use extends it. Browsers send a cookie to every port of its host, so
    /// where it came in is checked, and who asks (see <see cref="DashboardOrigin.FunctionPageSign"/>).
    /// </summary>
    public bool Accepts(HttpContext context)
    {
        var request = context.Request;
        if (!origin.Serves(context) || origin.FunctionPageSign(context) is not null
            || request.Cookies[CookieName] is not { Length: 64 } token || !_lastUse.TryGetValue(token, out var lastUse))
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (now - lastUse > IdleTimeout)
        {
            _lastUse.TryRemove(token, out _);
            return false;
        }

        _lastUse[token] = now;
        return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.Headers.ContainsKey(ChangeHeader);
    }

    /// <summary>
    /// Takes the session cookie off a request bound for a function (its other cookies stay): a function must never
    /// hold a token that opens the admin API.
    /// </summary>
    public static void StripFrom(HttpRequest request)
    {
        var header = request.Headers.Cookie;
        if (header.Count == 0 || !header.ToString().Contains(CookieName, StringComparison.Ordinal))
        {
            return;
        }

        var kept = header.SelectMany(line => (line ?? "").Split(';'))
            .Select(cookie => cookie.Trim())
            .Where(cookie => cookie.Length > 0 && !cookie.StartsWith(CookieName + "=", StringComparison.Ordinal))
            .ToList();
        if (kept.Count == 0)
        {
            request.Headers.Remove("Cookie");
        }
        else
        {
            request.Headers.Cookie = string.Join("; ", kept);
        }
    }

    /// <summary>
    /// Takes a <c>Set-Cookie</c> of the session's name off a function's response (its other cookies pass): a cookie
    /// belongs to every port of its host, so a function's page could otherwise replace or delete the admin's session.
    /// </summary>
    public static void StripFrom(HttpResponse response)
    {
        var setCookie = response.Headers.SetCookie;
        if (setCookie.Count == 0)
        {
            return;
        }

        var kept = setCookie.Where(line => line is not null && !SetsSessionCookie(line)).ToArray();
        if (kept.Length != setCookie.Count)
        {
            response.Headers.SetCookie = kept;
        }
    }

    /// <summary>Whether a <c>Set-Cookie</c> value names the session's cookie, read as browsers read it: the name before the first '=' of the part before the first ';', spaces trimmed.</summary>
    public static bool SetsSessionCookie(ReadOnlySpan<char> value)
    {
        var pair = value.IndexOf(';') is >= 0 and var end ? value[..end] : value;
        return pair.IndexOf('=') is >= 0 and var equals && pair[..equals].Trim(" \t").SequenceEqual(CookieName);
    }

    /// <inheritdoc cref="SetsSessionCookie(ReadOnlySpan{char})"/>
    public static bool SetsSessionCookie(ReadOnlySpan<byte> value)
    {
        var pair = value.IndexOf((byte)';') is >= 0 and var end ? value[..end] : value;
        return pair.IndexOf((byte)'=') is >= 0 and var equals && pair[..equals].Trim(" \t"u8).SequenceEqual(CookieNameBytes);
    }

    public void Close(HttpRequest request)
    {
        if (request.Cookies[CookieName] is { } token)
        {
            _lastUse.TryRemove(token, out _);
        }
    }

    public void SetCookie(HttpContext context, string token) =>
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
        });

    public static void DeleteCookie(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
}
