using System.Net;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>Finds the address a delivery came from (believing X-Forwarded-For only from trusted proxies) and checks it against Telegram's ranges.</summary>
internal sealed class DeliverySource
{
    /// <summary>The ranges Telegram documents for webhook deliveries.</summary>
    public static readonly IReadOnlyList<IPNetwork> TelegramRanges = [IPNetwork.Parse("149.154.160.0/20"), IPNetwork.Parse("91.108.4.0/22")];

    private readonly IPNetwork[] _trustedProxies;

    public DeliverySource(IOptions<UpdateQueueOptions> options) =>
        _trustedProxies = [.. options.Value.TrustedProxies.Select(p => TryParseRange(p, out var range) ? range : throw new FormatException($"UpdateQueue:TrustedProxies has '{p}', which is not an address or CIDR range."))];

    /// <summary>An address ("10.0.0.1") or a CIDR range ("10.0.0.0/8").</summary>
    public static bool TryParseRange(string? text, out IPNetwork range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(text, out range);
        }
        if (!IPAddress.TryParse(text, out var address))
        {
            return false;
        }
        address = Normalize(address);
        range = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <summary>
    /// The client: the connection's peer, or, when the peer is a trusted proxy, the right-most X-Forwarded-For entry that is
    /// not one. Null when a believed entry is not an address.
    /// </summary>
    public IPAddress? ClientAddress(IPAddress? remote, string? forwardedFor)
    {
        if (remote is null)
        {
            return null;
        }
        remote = Normalize(remote);
        if (!IsTrustedProxy(remote) || string.IsNullOrWhiteSpace(forwardedFor))
        {
            return remote;
        }
        var hops = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        IPAddress? client = remote;
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPEndPoint.TryParse(hops[i], out var hop))
            {
                return null;
            }
            client = Normalize(hop.Address);
            if (!IsTrustedProxy(client))
            {
                return client;
            }
        }
        return client;
    }

    public static bool IsTelegram(IPAddress? address) =>
        address is not null && TelegramRanges.Any(r => r.Contains(Normalize(address)));

    private bool IsTrustedProxy(IPAddress address) => _trustedProxies.Any(p => p.Contains(address));

    // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
