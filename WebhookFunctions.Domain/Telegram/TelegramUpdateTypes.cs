using System.Collections.Frozen;
using System.Text.Json;
using Telegram.Bot.Types.Enums;

namespace WebhookFunctions.Domain.Telegram;

/// <summary>The update type names the Bot API accepts in allowed_updates ("message", "callback_query", ...).</summary>
internal static class TelegramUpdateTypes
{
    private static readonly FrozenDictionary<string, UpdateType> ByName = Enum.GetValues<UpdateType>()
        .Where(t => t != UpdateType.Unknown)
        .ToFrozenDictionary(ToName, t => t, StringComparer.Ordinal);

    public static IEnumerable<string> Names => ByName.Keys.Order(StringComparer.Ordinal);

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    public static UpdateType Parse(string name) => ByName[name];

    public static string ToName(UpdateType type) => JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString());
}
