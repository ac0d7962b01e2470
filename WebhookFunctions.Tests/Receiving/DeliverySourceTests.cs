using System.Net;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Receiving;

namespace WebhookFunctions.Tests.Receiving;

// Pure: which address a delivery counts as coming from, and whether it is Telegram's.
public sealed class DeliverySourceTests
{
    private static DeliverySource Trusting(params string[] proxies) =>
        new(Options.Create(new UpdateQueueOptions { TrustedProxies = [.. proxies] }));

    [Theory]
    [InlineData("149.154.160.1")]
    [InlineData("149.154.175.254")]
    [InlineData("91.108.4.1")]
    [InlineData("91.108.7.254")]
    [InlineData("::ffff:149.154.167.99")]
    public void Telegram_ranges_hold_telegrams_documented_addresses(string address) =>
        Assert.True(DeliverySource.IsTelegram(IPAddress.Parse(address)));

    [Theory]
    [InlineData("149.154.176.1")]
    [InlineData("91.108.8.1")]
    [InlineData("127.0.0.1")]
    [InlineData("2001:db8::1")]
    public void Other_addresses_are_not_telegrams(string address) =>
        Assert.False(DeliverySource.IsTelegram(IPAddress.Parse(address)));

    [Fact]
    public void Forwarded_for_from_an_untrusted_peer_is_ignored() =>
        Assert.Equal(IPAddress.Parse("203.0.113.7"), Trusting("10.0.0.0/8").ClientAddress(IPAddress.Parse("203.0.113.7"), "149.154.160.1"));

    [Fact]
    public void Forwarded_for_from_a_trusted_proxy_gives_the_client() =>
        Assert.Equal(IPAddress.Parse("149.154.160.1"), Trusting("10.0.0.5").ClientAddress(IPAddress.Parse("10.0.0.5"), "149.154.160.1"));

    [Fact]
    public void The_right_most_entry_that_is_not_a_trusted_proxy_is_the_client_so_a_forged_left_entry_is_ignored() =>
        Assert.Equal(IPAddress.Parse("203.0.113.9"),
            Trusting("10.0.0.0/8").ClientAddress(IPAddress.Parse("10.1.2.3"), "149.154.160.1, 203.0.113.9, 10.0.0.7"));

    [Fact]
    public void Entries_with_ports_and_ipv4_mapped_peers_are_understood() =>
        Assert.Equal(IPAddress.Parse("91.108.4.10"),
            Trusting("10.0.0.5").ClientAddress(IPAddress.Parse("::ffff:10.0.0.5"), "91.108.4.10:443"));

    [Fact]
    public void A_garbled_entry_from_a_trusted_proxy_leaves_no_client() =>
        Assert.Null(Trusting("10.0.0.5").ClientAddress(IPAddress.Parse("10.0.0.5"), "not-an-address"));

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("proxy.internal", false)]
    [InlineData("", false)]
    public void Trusted_proxy_entries_are_addresses_or_cidr_ranges(string entry, bool valid) =>
        Assert.Equal(valid, DeliverySource.TryParseRange(entry, out _));
}
