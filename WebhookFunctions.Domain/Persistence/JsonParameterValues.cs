using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>
/// Values as a one-statement batch's JSON parameter carries them, in the text EF Core stores (upper-case ids, ISO
/// times), so SQLite compares them with the stored columns as text and SQL Server converts them in OPENJSON.
/// </summary>
internal static class JsonParameterValues
{
    public static string Text(Guid value) => value.ToString("D").ToUpperInvariant();

    public static string Text(DateTime value) => value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>A JSON array of <paramref name="items"/>, each written by <paramref name="write"/>: a batch statement's parameter.</summary>
    public static string Array<T>(IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var item in items)
            {
                write(json, item);
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
