using System.Globalization;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>
/// Values as a one-statement batch's JSON parameter carries them, in the text EF Core stores (upper-case ids, ISO
/// times), so SQLite compares them with the stored columns as text and SQL Server converts them in OPENJSON.
/// </summary>
internal static class JsonParameterValues
{
    public static string Text(Guid value) => value.ToString("D").ToUpperInvariant();

    public static string Text(DateTime value) => value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
