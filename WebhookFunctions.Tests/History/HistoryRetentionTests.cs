using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.History;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.History;

// Retention: the sweep deletes what is older than History:Retention, a bounded number of rows per statement, in
// SQLite (run here) and SQL Server (its statements captured without a server, and parsed as T-SQL).
public sealed class HistoryRetentionTests : IAsyncLifetime
{
    private DomainHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Pruning_deletes_only_what_is_older_than_the_retention_at_most_a_batch_per_statement()
    {
        var now = _harness.Time.GetUtcNow().UtcDateTime;
        var bot = Guid.NewGuid();
        await SeedAsync(bot, 2_500, now.AddDays(-31));
        await SeedAsync(bot, 10, now.AddDays(-29));
        var sql = new CapturedSql(suppress: false);
        var history = History(new() { Retention = TimeSpan.FromDays(30), PruneBatchSize = 1000 }, SqliteFactory(sql));

        await using (var db = SqliteFactory(sql).CreateDbContext())
        {
            Assert.Equal(2_500, await history.PruneAsync(db));
        }

        var deletes = sql.Commands.Where(c => c.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(3 + 2, deletes.Count); // 1000 + 1000 + 500 entries, then the sweep shards, then the sweep runs
        Assert.All(deletes, d => Assert.Contains("LIMIT", d, StringComparison.OrdinalIgnoreCase));
        await using var check = _harness.NewDb();
        Assert.Equal(10, await check.Set<WebhookHistoryEntry>().CountAsync());
        Assert.True(await check.Set<WebhookHistoryEntry>().AllAsync(h => h.At > now.AddDays(-30)));
    }

    [Fact]
    public async Task Pruning_deletes_the_shards_of_runs_older_than_the_retention_and_shards_whose_run_is_gone()
    {
        var now = _harness.Time.GetUtcNow().UtcDateTime;
        var (old, recent, gone) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var db = _harness.NewDb())
        {
            db.Set<SweepRun>().AddRange(
                new SweepRun { RunId = old, StartedAt = now.AddDays(-31), Trigger = "timer", Status = SweepStatus.Completed, Shards = 3 },
                new SweepRun { RunId = recent, StartedAt = now.AddDays(-1), Trigger = "timer", Status = SweepStatus.Completed, Shards = 2 });
            db.Set<SweepShard>().AddRange(Shards(old, 3).Concat(Shards(recent, 2)).Concat(Shards(gone, 4)));
            await db.SaveChangesAsync();
        }
        var history = History(new() { Retention = TimeSpan.FromDays(30), PruneBatchSize = 1000 }, _harness.Services.GetRequiredService<IDbContextFactory<WebhookDbContext>>());

        await using (var db = _harness.NewDb())
        {
            Assert.Equal(3 + 4 + 1, await history.PruneAsync(db));
        }

        await using var check = _harness.NewDb();
        Assert.Equal([(recent, 0), (recent, 1)], (await check.Set<SweepShard>().ToListAsync()).Select(s => (s.RunId, s.ShardKey)).Order());
        Assert.Equal([recent], await check.Set<SweepRun>().Select(r => r.RunId).ToListAsync());
    }

    private static IEnumerable<SweepShard> Shards(Guid runId, int count) =>
        Enumerable.Range(0, count).Select(key => new SweepShard { RunId = runId, ShardKey = key, ThroughId = Guid.NewGuid(), Bots = 1 });

    [Fact]
    public async Task Sql_server_prune_statements_are_bounded_and_parse_as_t_sql()
    {
        var sql = new CapturedSql(suppress: true);
        var options = new DbContextOptionsBuilder<SqlServerWebhookDbContext>()
            .UseSqlServer("Server=unused;Database=unused").UseSnakeCaseNamingConvention().AddInterceptors(sql).Options;
        var history = History(new() { PruneBatchSize = 250 }, null!);

        await using (var db = new SqlServerWebhookDbContext(options))
        {
            await history.PruneAsync(db);
        }

        Assert.Equal(3, sql.Commands.Count);
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        foreach (var command in sql.Commands)
        {
            Assert.StartsWith("DELETE", command.TrimStart(), StringComparison.OrdinalIgnoreCase);
            Assert.Matches(@"TOP\(@\w+\)|TOP \(@\w+\)|OFFSET", command);
            parser.Parse(new StringReader(command), out var errors);
            Assert.Empty(errors.Select(e => e.Message));
        }
    }

    [Fact]
    public void Sql_server_history_insert_parses_as_t_sql()
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);

        parser.Parse(new StringReader(HistoryWriter.SqlServerInsert.Replace("{0}", "@p0", StringComparison.Ordinal)), out var errors);

        Assert.Empty(errors.Select(e => $"{e.Line}:{e.Column} {e.Message}"));
    }

    [Fact]
    public async Task The_sweep_prunes_the_history()
    {
        var now = _harness.Time.GetUtcNow().UtcDateTime;
        await SeedAsync(Guid.NewGuid(), 5, now.AddDays(-40));

        await _harness.InScopeAsync(sp => sp.GetRequiredService<WebhookChecker>().SweepAsync("test", default));

        await using var db = _harness.NewDb();
        Assert.Equal(0, await db.Set<WebhookHistoryEntry>().CountAsync());
        Assert.Equal(1, await db.Set<SweepRun>().CountAsync());
    }

    private WebhookHistory History(HistoryOptions options, IDbContextFactory<WebhookDbContext> databases) =>
        new(databases, Options.Create(options), _harness.Time, NullLogger<WebhookHistory>.Instance);

    private Factory SqliteFactory(CapturedSql sql)
    {
        using var db = _harness.NewDb();
        return new Factory(new DbContextOptionsBuilder<SqliteWebhookDbContext>()
            .UseSqlite(db.Database.GetConnectionString()).UseSnakeCaseNamingConvention().AddInterceptors(sql).Options);
    }

    private async Task SeedAsync(Guid botId, int count, DateTime at)
    {
        await using var db = _harness.NewDb();
        var entries = Enumerable.Range(0, count).Select(_ => new WebhookHistoryEntry { BotId = botId, At = at, Kind = HistoryKind.WebhookSet, Actor = HistoryActor.Api }).ToList();
        await HistoryWriter.AppendAsync(db, entries, default);
    }

    private sealed class Factory(DbContextOptions<SqliteWebhookDbContext> options) : IDbContextFactory<WebhookDbContext>
    {
        public WebhookDbContext CreateDbContext() => new SqliteWebhookDbContext(options);
    }

    /// <summary>Records every command's text; with suppress, answers without a server (no connection is opened).</summary>
    private sealed class CapturedSql(bool suppress) : DbCommandInterceptor, IDbConnectionInterceptor
    {
        public List<string> Commands { get; } = [];

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText);
            return ValueTask.FromResult(suppress ? InterceptionResult<int>.SuppressWithResult(0) : result);
        }

        public ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(suppress ? InterceptionResult.Suppress() : result);
    }
}
