using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Receiving;

// The ledger's batch statements are hand-written SQL: SQLite's run here against a real file, SQL Server's are parsed as
// T-SQL (no server here).
public sealed class ReceivedUpdateStatementsTests : IAsyncLifetime
{
    private DomainHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData(ReceivedUpdateStatements.SqlServerClaim)]
    [InlineData(ReceivedUpdateStatements.SqlServerConfirm)]
    [InlineData(ReceivedUpdateStatements.SqlServerStamp)]
    public void Sql_server_statements_parse_as_t_sql(string statement)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);

        parser.Parse(new StringReader(statement.Replace("{0}", "@p0", StringComparison.Ordinal).Replace("{1}", "@p1", StringComparison.Ordinal)), out var errors);

        Assert.Empty(errors.Select(e => $"{e.Line}:{e.Column} {e.Message}"));
    }

    [Fact]
    public async Task A_claim_inserts_free_keys_only_and_returns_what_it_inserted()
    {
        var bot = Guid.NewGuid();
        var first = new DateTime(2026, 12, 1, 10, 0, 0, 250, DateTimeKind.Utc);
        await using var db = _harness.NewDb();

        var inserted = await ReceivedUpdateStatements.ClaimAsync(db, [(bot, 1), (bot, 2)], first);
        var again = await ReceivedUpdateStatements.ClaimAsync(db, [(bot, 2), (bot, 3)], first.AddSeconds(1));

        Assert.Equal([(bot, 1L), (bot, 2L)], inserted.Order());
        Assert.Equal((bot, 3L), Assert.Single(again));
        var stored = await db.ReceivedUpdates.AsNoTracking().Where(u => u.BotId == bot).OrderBy(u => u.UpdateId).ToListAsync();
        Assert.Equal([first, first, first.AddSeconds(1)], stored.Select(u => u.ReceivedAt));
        Assert.All(stored, u => Assert.Null(u.EnqueuedAt));
    }

    [Fact]
    public async Task A_confirm_marks_only_the_claim_that_was_taken()
    {
        var bot = Guid.NewGuid();
        var claimedAt = new DateTime(2026, 12, 1, 10, 0, 0, 100, DateTimeKind.Utc);
        var now = claimedAt.AddSeconds(2);
        await using var db = _harness.NewDb();
        await ReceivedUpdateStatements.ClaimAsync(db, [(bot, 7), (bot, 8)], claimedAt);

        // Update 8's claim was taken over meanwhile (another received_at): its stale confirm changes nothing.
        var confirmed = await ReceivedUpdateStatements.ConfirmAsync(db, [(bot, 7, claimedAt), (bot, 8, claimedAt.AddTicks(-1))], now);

        Assert.Equal(1, confirmed);
        var stored = await db.ReceivedUpdates.AsNoTracking().Where(u => u.BotId == bot).OrderBy(u => u.UpdateId).ToListAsync();
        Assert.Equal([now, null], stored.Select(u => u.EnqueuedAt));
    }

    [Fact]
    public async Task A_stamp_moves_last_update_received_at_forward_only_and_leaves_the_concurrency_stamp()
    {
        var earlier = await _harness.AddBotAsync();
        var later = await _harness.AddBotAsync(c => c.LastUpdateReceivedAt = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc));
        var now = new DateTime(2026, 12, 1, 11, 0, 0, DateTimeKind.Utc);
        await using var db = _harness.NewDb();

        var stamped = await ReceivedUpdateStatements.StampAsync(db, [earlier.Id, later.Id], now);

        Assert.Equal(1, stamped);
        var a = await _harness.ReloadAsync(earlier.BotId);
        var b = await _harness.ReloadAsync(later.BotId);
        Assert.Equal((now, earlier.ConcurrencyStamp), (a.LastUpdateReceivedAt!.Value, a.ConcurrencyStamp));
        Assert.Equal(new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc), b.LastUpdateReceivedAt);
    }
}
