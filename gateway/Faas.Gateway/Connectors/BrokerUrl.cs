namespace Faas.Gateway.Connectors;

/// <summary>A broker URL as it may be logged or shown: without user, password or token.</summary>
internal static class BrokerUrl
{
    public static string WithoutCredentials(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/')
            : url;

    /// <summary>Whether <paramref name="url"/> is an absolute URL with a host and one of <paramref name="schemes"/>.</summary>
    public static bool IsValid(string url, params string[] schemes) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme) && uri.Host.Length > 0;
}
