using System.Security.Cryptography;

namespace WebhookFunctions.Domain.Webhooks;

/// <summary>Generates webhook secrets and compares them without leaking timing.</summary>
public static class WebhookSecret
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    /// <summary>64 characters from Telegram's secret alphabet: 384 bits from the OS CSPRNG.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 64);

    public static bool Matches(string? presented, string? expected)
    {
        if (presented is null || expected is null)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(presented), System.Text.Encoding.UTF8.GetBytes(expected));
    }
}
