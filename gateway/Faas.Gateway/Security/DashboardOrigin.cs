using Faas.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Faas.Gateway.Security;

/// <summary>
/// The dashboard's address, an origin of its own. A page a function serves runs its scripts in the origin it came from,
/// and in a signed-in admin's browser a script in the dashboard's origin is the admin: the browser adds the session
/// cookie, and a same-origin script may add any header. So the dashboard is served on a port where alone a session
/// cookie counts and where no function's answer is ever a page; the main port takes Basic auth only (see
/// <see cref="OriginSeparation"/>).
/// </summary>
internal sealed class DashboardOrigin(IOptions<GatewayOptions> options)
{
    private const string FetchSiteHeader = "Sec-Fetch-Site";

    /// <summary>What a browser without <c>Sec-Fetch-Site</c> sends with a page's requests.</summary>
    private static readonly string[] PageHeaders = ["Origin", "Referer"];

    /// <summary>The port of <see cref="DashboardOptions.Url"/>; null when the dashboard is off.</summary>
    public int? Port { get; } = options.Value.Dashboard.Url is { Length: > 0 } url ? new Uri(url).Port : null;

    /// <summary>Whether the request came in on the dashboard's port.</summary>
    public bool Serves(HttpContext context) => Port is { } port && context.Connection.LocalPort == port;

    /// <summary>
    /// What says that a page that may be a function's made the request, as <c>Header: value</c>; null when nothing does.
    /// Such a request gets nothing from the admin's credentials, which the browser adds by itself (a session cookie,
    /// Basic auth it once typed in). Browsers name who asks in <c>Sec-Fetch-Site</c>: any page on the main port, a page
    /// of another origin on the dashboard's; an address typed in is <c>none</c>. A browser without it (Safari before
    /// 16.4) still sends <c>Origin</c> with a page's every request but a GET or HEAD, and a <c>Referer</c> unless the
    /// page turns it off: on the main port either is a page's request too. (On the dashboard's port a page of another
    /// origin gains nothing that way: a change needs the dashboard's header, which takes a CORS preflight the gateway
    /// does not grant, and an answer is not readable to it.) Clients that are not browsers send none of these.
    /// </summary>
    public string? FunctionPageSign(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers[FetchSiteHeader] is { Count: > 0 } site)
        {
            return site.ToString() switch
            {
                "none" => null,
                "same-origin" when Serves(context) => null,
                _ => $"{FetchSiteHeader}: {site}",
            };
        }

        if (Serves(context))
        {
            return null;
        }

        foreach (var name in PageHeaders)
        {
            if (headers[name] is { Count: > 0 } value)
            {
                return $"{name}: {value}";
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="url"/> cannot be the dashboard's address, or null.</summary>
    public static string? Check(string? url) =>
        string.IsNullOrEmpty(url)
        || (Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttp && parsed.AbsolutePath == "/"
            && parsed.Query.Length == 0 && parsed.UserInfo.Length == 0)
            ? null
            : $"invalid Gateway:Dashboard:Url=\"{url}\": expected an http address with a port of its own (no path), such as http://127.0.0.1:8081";
}
