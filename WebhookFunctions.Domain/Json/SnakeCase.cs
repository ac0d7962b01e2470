using System.Collections.Frozen;
using System.Text.Json;

namespace WebhookFunctions.Domain.Json;

/// <summary>
/// The snake_case name of an enum value, as the wire (ApiJson's converter), the stored text columns, metrics tags and
/// logs spell it: <c>CheckOutcome.TokenRejected</c> is "token_rejected" everywhere.
/// </summary>
internal static class SnakeCase
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Names<TEnum>.ByValue[value];

    /// <summary>The value named <paramref name="name"/>; a name no member has throws, naming the enum.</summary>
    public static TEnum Parse<TEnum>(string name) where TEnum : struct, Enum =>
        Names<TEnum>.ByName.TryGetValue(name, out var value) ? value
            : throw new FormatException($"'{name}' is not a {typeof(TEnum).Name} (one of: {string.Join(", ", Names<TEnum>.ByName.Keys)}).");

    /// <summary>Every member's name, in declaration order.</summary>
    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum => Names<TEnum>.InOrder;

    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly IReadOnlyList<string> InOrder = [.. Enum.GetValues<TEnum>().Select(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()))];
        public static readonly FrozenDictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>().Zip(InOrder).ToFrozenDictionary(p => p.First, p => p.Second);
        public static readonly FrozenDictionary<string, TEnum> ByName = ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
