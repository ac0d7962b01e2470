using System.Security.Cryptography;
using System.Text;

namespace WebhookFunctions.Domain.Webhooks;

/// <summary>Generates webhook secrets and compares them without leaking timing.</summary>
internal static class WebhookSecret
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    /// <summary>64 characters from Telegram's secret alphabet: 384 bits from the OS CSPRNG.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 64);

    /// <summary>
    /// Compares SHA-256 digests in constant time: FixedTimeEquals on the raw strings returns at once when the lengths
    /// differ, which tells a caller the secret's length; two 32-byte digests always take the same time.
    /// </summary>
    public static bool Matches(string? presented, string? expected)
    {
        if (presented is null || expected is null)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Digest(presented), Digest(expected));
    }

    internal static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
