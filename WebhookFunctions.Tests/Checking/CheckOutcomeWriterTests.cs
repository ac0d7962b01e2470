using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Persistence;

namespace WebhookFunctions.Tests.Checking;

// The batched outcome statements are hand-written SQL: SQLite's runs in every sweep test; SQL Server's is checked
// here without a server (it parses as T-SQL and names only columns of the model).
public sealed partial class CheckOutcomeWriterTests
{
    [GeneratedRegex(@"^\s*(?:SET\s+)?(\w+) = v\.", RegexOptions.Multiline)]
    private static partial Regex AssignedColumn();

    private static HashSet<string> ModelColumns()
    {
        var options = new DbContextOptionsBuilder<SqlServerWebhookDbContext>()
            .UseSqlServer("Server=unused;Database=unused").UseSnakeCaseNamingConvention().Options;
        using var db = new SqlServerWebhookDbContext(options);
        var entity = db.Model.FindEntityType(typeof(BotPlatformCredential))!;
        return [.. entity.GetProperties().Select(p => p.GetColumnName())];
    }

    [Fact]
    public void Sql_server_statement_parses_as_t_sql()
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);

        parser.Parse(new StringReader(CheckOutcomeWriter.SqlServerUpdate.Replace("{0}", "@p0", StringComparison.Ordinal)), out var errors);

        Assert.Empty(errors.Select(e => $"{e.Line}:{e.Column} {e.Message}"));
    }

    [Fact]
    public void Both_statements_assign_the_same_columns_and_only_columns_of_the_model()
    {
        var sqlite = AssignedColumn().Matches(CheckOutcomeWriter.SqliteUpdate).Select(m => m.Groups[1].Value).ToList();
        var sqlServer = AssignedColumn().Matches(CheckOutcomeWriter.SqlServerUpdate).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(20, sqlite.Count);
        Assert.Equal(sqlite, sqlServer);
        Assert.Subset(ModelColumns(), sqlite.ToHashSet());
    }

    [Fact]
    public void Rows_carry_guids_and_times_in_the_form_ef_core_stores_them_in_sqlite()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var row = new CheckOutcomeRow(id, id, id, new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), CheckOutcome.Healthy, null, null, 0, null, null, null,
            new DateTime(2026, 11, 24, 12, 0, 0, 500, DateTimeKind.Utc), true, false, new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), ContestState.None, 3);

        var json = CheckOutcomeWriter.ToJson([row]);

        Assert.Contains("\"id\":\"0F8FAD5B-D9CB-469F-A165-70867728950E\"", json);
        Assert.Contains("\"checked_at\":\"2026-11-24 12:00:00\"", json);
        Assert.Contains("\"set_at\":\"2026-11-24 12:00:00.5\"", json);
        Assert.Contains("\"pending\":null", json);
        Assert.Contains("\"applied_generation\":3", json);
    }
}
