using System.Net;
using System.Net.Sockets;
using Faas.Gateway.Configuration;

namespace Faas.Gateway.Async;

/// <summary>
/// Which addresses an async call's callback may reach. The caller of <c>/async-function</c> names the URL and the gateway
/// POSTs there from inside the platform's network, so without a rule any caller could aim the gateway at what only it
/// can reach: above all the cloud's metadata service, which hands out the node's credentials at a link-local address.
/// By default link-local, unspecified, multicast and reserved addresses are refused; loopback and private networks stay
/// allowed, as callbacks to in-cluster services are the usual case. <c>Gateway:Async:CallbackAllowedNetworks</c> narrows
/// that to the operator's networks and <c>CallbackDeniedNetworks</c> replaces the refused list. The rule holds for every
/// address a callback's host resolves to, checked when connecting (a name that later resolves elsewhere is caught too);
/// an address written in the URL is refused already when the call is made, with a 400.
/// </summary>
internal sealed class CallbackTargets
{
    public const string AllowedSetting = "Gateway:Async:CallbackAllowedNetworks";
    public const string DeniedSetting = "Gateway:Async:CallbackDeniedNetworks";

    /// <summary>
    /// This host (0.0.0.0/8, ::), link-local (169.254.0.0/16 and fe80::/10, where clouds serve instance metadata at
    /// 169.254.169.254), the metadata services at other addresses (Alibaba's 100.100.100.200, AWS's fd00:ec2::254),
    /// multicast and the reserved 240.0.0.0/4 with the broadcast address.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultDenied =
        ["0.0.0.0/8", "169.254.0.0/16", "100.100.100.200/32", "224.0.0.0/4", "240.0.0.0/4", "::/128", "fe80::/10", "fd00:ec2::254/128", "ff00::/8"];

    private readonly IPNetwork[]? _allowed;
    private readonly IPNetwork[] _denied;

    public CallbackTargets(AsyncOptions options)
    {
        _allowed = options.CallbackAllowedNetworks is { } allowed ? Parse(AllowedSetting, allowed) : null;
        _denied = Parse(DeniedSetting, options.CallbackDeniedNetworks ?? DefaultDenied);
    }

    /// <summary>Why a setting's list is not a list of networks (CIDR, or a single address), or null when it is.</summary>
    public static string? CheckSetting(string name, IReadOnlyList<string>? networks)
    {
        foreach (var network in networks ?? [])
        {
            if (!TryParseNetwork(network, out _))
            {
                return $"invalid {name} entry \"{network}\": expected a network such as 10.0.0.0/8 or fd00::/8, or a single address";
            }
        }

        return null;
    }

    /// <summary>Why a callback may not reach <paramref name="address"/>, or null when it may.</summary>
    public string? Check(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _denied)
        {
            if (network.Contains(plain))
            {
                return $"{plain} is in {network}, which callbacks may not reach ({DeniedSetting})";
            }
        }

        return _allowed is null || _allowed.Any(network => network.Contains(plain))
            ? null
            : $"{plain} is outside the networks callbacks may reach ({AllowedSetting}: {string.Join(", ", _allowed)})";
    }

    /// <summary>Why a callback URL may not be used as written (its host is an address that may not be reached), or null.</summary>
    public string? Check(Uri url) =>
        url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) ? Check(address) : null;

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host and connects to its first address that may be
    /// reached, trying the next when one does not answer.
    /// </summary>
    /// <exception cref="CallbackRefusedException">Every address the host resolves to is one a callback may not reach.</exception>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        string? refused = null;
        SocketException? failed = null;
        foreach (var address in addresses)
        {
            if (Check(address) is { } problem)
            {
                refused ??= problem;
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException error)
            {
                socket.Dispose();
                failed = error;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw failed ?? (Exception)new CallbackRefusedException(refused ?? $"{host} resolves to no address");
    }

    private static IPNetwork[] Parse(string name, IReadOnlyList<string> networks) =>
        [.. networks.Select(network => TryParseNetwork(network, out var parsed) ? parsed : throw new ArgumentException(CheckSetting(name, [network])))];

    private static bool TryParseNetwork(string text, out IPNetwork network)
    {
        // .NET masks "10.0.0.1/8" to 10.0.0.0/8; refused instead, as it may as well be a mistyped "10.0.0.1/32".
        if (IPNetwork.TryParse(text, out network))
        {
            return IPAddress.Parse(text.AsSpan(0, text.IndexOf('/'))).Equals(network.BaseAddress);
        }

        if (IPAddress.TryParse(text, out var address) && !text.Contains('/'))
        {
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }
}

/// <summary>A callback's host resolves only to addresses callbacks may not reach: trying again cannot help.</summary>
internal sealed class CallbackRefusedException(string message) : Exception(message);
