using System.Text;

namespace Faas.Gateway.Security;

/// <summary>
/// How the gateway's own invocations (the queue worker, cron and topic triggers) pass authentication when invocations
/// need it, without the admin password: a random token made at start, held only in this process's memory, sent on
/// loopback in <see cref="Header"/>. The header is removed from every request before it is routed, so no function
/// ever sees it, and a caller cannot use a token it was never given.
/// </summary>
internal sealed class InternalCaller
{
    public const string Header = "X-Faas-Internal-Token";

    private readonly byte[] _token = Faas.Posix.KernelRandom.GetBytes(32);

    /// <summary>The header value the gateway's own invocations carry.</summary>
    public string Token => Convert.ToHexStringLower(_token);

    /// <summary>Takes the header off <paramref name="request"/>; true if it carried this process's token.</summary>
    public bool Claim(HttpRequest request)
    {
        if (!request.Headers.Remove(Header, out var value))
        {
            return false;
        }

        var given = Encoding.ASCII.GetBytes(value.ToString());
        return SecretComparison.FixedTimeEquals(given, Encoding.ASCII.GetBytes(Token));
    }
}
