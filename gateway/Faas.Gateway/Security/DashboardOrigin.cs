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

    /// <summary>The port of <see cref="DashboardOptions.Url"/>; null when the dashboard is off.</summary>
    public int? Port { get; } = options.Value.Dashboard.Url is { Length: > 0 } url ? new Uri(url).Port : null;

    /// <summary>Whether the request came in on the dashboard's port.</summary>
    public bool Serves(HttpContext context) => Port is { } port && context.Connection.LocalPort == port;

    /// <summary>
    /// Whether a browser says a page made the request (<c>Sec-Fetch-Site</c>) that may be a function's: any page on the
    /// main port, a page of another origin on the dashboard's. Such a request gets nothing from the admin's credentials,
    /// which the browser adds by itself (a session cookie, Basic auth it once typed in). Clients that are not browsers,
    /// and an address typed in (<c>none</c>), send no such value.
    /// </summary>
    public bool FromFunctionPage(HttpContext context) =>
        context.Request.Headers[FetchSiteHeader] is { Count: > 0 } site
        && site.ToString() switch
        {
            "none" => false,
            "same-origin" => !Serves(context),
            _ => true,
        };

    /// <summary>Why <paramref name="url"/> cannot be the dashboard's address, or null.</summary>
    public static string? Check(string? url) =>
        string.IsNullOrEmpty(url)
        || (Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttp && parsed.AbsolutePath == "/"
            && parsed.Query.Length == 0 && parsed.UserInfo.Length == 0)
            ? null
            : $"invalid Gateway:Dashboard:Url=\"{url}\": expected an http address with a port of its own (no path), such as http://127.0.0.1:8081";
}
