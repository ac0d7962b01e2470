using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using WebhookFunctions.Domain.Json;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>Stores an enum as its snake_case name, the text these columns held when they were strings (no data migration).</summary>
internal sealed class SnakeCaseConverter<TEnum>() : ValueConverter<TEnum, string>(v => SnakeCase.Of(v), v => SnakeCase.Parse<TEnum>(v))
    where TEnum : struct, Enum;
