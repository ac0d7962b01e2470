using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Json;
using WebhookFunctions.Domain.Persistence;
using WebhookFunctions.Domain.Telegram;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Persistence;

/// <summary>
/// The states are enums in code, but the columns, the wire, metrics and logs keep the texts they had as string
/// constants: every value is listed here with that old text, written out by hand.
/// </summary>
public sealed class StateTextTests
{
    private static readonly Dictionary<CheckOutcome, string> OutcomeTexts = new()
    {
        [CheckOutcome.Healthy] = "healthy",
        [CheckOutcome.Refreshed] = "refreshed",
        [CheckOutcome.Skipped] = "skipped",
        [CheckOutcome.Failed] = "failed",
        [CheckOutcome.TokenRejected] = "token_rejected",
        [CheckOutcome.Deferred] = "deferred",
        [CheckOutcome.Contested] = "contested",
        [CheckOutcome.Disabled] = "disabled",
    };

    private static readonly Dictionary<BotState, string> StateTexts = new()
    {
        [BotState.Healthy] = "healthy",
        [BotState.Failing] = "failing",
        [BotState.TokenRejected] = "token_rejected",
        [BotState.Contested] = "contested",
        [BotState.Deferred] = "deferred",
        [BotState.Skipped] = "skipped",
        [BotState.Disabled] = "disabled",
        [BotState.Unchecked] = "unchecked",
    };

    private static readonly Dictionary<SweepStatus, string> SweepStatusTexts = new()
    {
        [SweepStatus.Completed] = "completed",
        [SweepStatus.BudgetExhausted] = "budget_exhausted",
        [SweepStatus.AlreadyRunning] = "already_running",
        [SweepStatus.UrlUnavailable] = "url_unavailable",
        [SweepStatus.Failed] = "failed",
        [SweepStatus.LeaseLost] = "lease_lost",
        [SweepStatus.Dispatched] = "dispatched",
        [SweepStatus.Running] = "running",
        [SweepStatus.Completing] = "completing",
        [SweepStatus.ShardsPoisoned] = "shards_poisoned",
    };

    private static readonly Dictionary<ShardStatus, string> ShardStatusTexts = new()
    {
        [ShardStatus.Pending] = "pending",
        [ShardStatus.Running] = "running",
        [ShardStatus.Done] = "done",
        [ShardStatus.Poisoned] = "poisoned",
        [ShardStatus.Abandoned] = "abandoned",
    };

    private static readonly Dictionary<HistoryKind, string> KindTexts = new()
    {
        [HistoryKind.Registered] = "registered",
        [HistoryKind.TokenReplaced] = "token_replaced",
        [HistoryKind.Deactivated] = "deactivated",
        [HistoryKind.WebhookSet] = "webhook_set",
        [HistoryKind.WebhookDeleted] = "webhook_deleted",
        [HistoryKind.StateChanged] = "state_changed",
        [HistoryKind.DeliveryError] = "delivery_error",
    };

    private static readonly Dictionary<HistoryActor, string> ActorTexts = new()
    {
        [HistoryActor.Api] = "api",
        [HistoryActor.Checker] = "checker",
        [HistoryActor.Telegram] = "telegram",
    };

    private static readonly Dictionary<RefreshReason, string> RefreshReasonTexts = new()
    {
        [RefreshReason.UrlMissing] = "url_missing",
        [RefreshReason.UrlDrifted] = "url_drifted",
        [RefreshReason.ConfigDrifted] = "config_drifted",
        [RefreshReason.RecentDeliveryError] = "recent_delivery_error",
        [RefreshReason.PendingBacklog] = "pending_backlog",
        [RefreshReason.PendingBacklogCooldown] = "pending_backlog_cooldown",
        [RefreshReason.ForeignDomain] = "foreign_domain",
        [RefreshReason.OperatorCallUnsettled] = "operator_call_unsettled",
        [RefreshReason.WebhookRemoved] = "webhook_removed",
        [RefreshReason.NothingToRemove] = "nothing_to_remove",
    };

    private static readonly Dictionary<ContestReason, string> ContestReasonTexts = new()
    {
        [ContestReason.RivalUrl] = "rival_url",
        [ContestReason.RivalDeleted] = "rival_deleted",
        [ContestReason.ContestBackoff] = "contest_backoff",
        [ContestReason.ContestProbe] = "contest_probe",
        [ContestReason.ContestWatch] = "contest_watch",
        [ContestReason.ContestEnded] = "contest_ended",
    };

    private static readonly Dictionary<FailureClass, string> FailureClassTexts = new()
    {
        [FailureClass.InvalidCredential] = "invalid_credential",
        [FailureClass.Unexpected] = "unexpected",
        [FailureClass.TokenRejected] = "token_rejected",
        [FailureClass.RateLimited] = "rate_limited",
        [FailureClass.BadRequest] = "bad_request",
        [FailureClass.Unavailable] = "unavailable",
        [FailureClass.Timeout] = "timeout",
        [FailureClass.Network] = "network",
    };

    [Fact]
    public void Every_state_has_its_old_text_on_the_wire_and_is_read_back_from_it()
    {
        AssertText(OutcomeTexts);
        AssertText(StateTexts);
        AssertText(SweepStatusTexts);
        AssertText(ShardStatusTexts);
        AssertText(KindTexts);
        AssertText(ActorTexts);
        AssertText(RefreshReasonTexts);
        AssertText(ContestReasonTexts);
        AssertText(FailureClassTexts);
    }

    [Fact]
    public void Text_no_state_has_is_refused_naming_the_enum()
    {
        var refused = Assert.Throws<FormatException>(() => SnakeCase.Parse<CheckOutcome>("Healthy"));

        Assert.Contains(nameof(CheckOutcome), refused.Message, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CheckOutcome>("\"some_future_outcome\"", ApiJson.Options));
    }

    [Fact]
    public async Task Every_stored_state_is_written_as_its_old_text_and_read_back()
    {
        await using var harness = await DomainHarness.StartAsync();
        foreach (var outcome in OutcomeTexts.Keys)
        {
            await harness.AddBotAsync(c => c.LastCheckOutcome = outcome);
        }
        var botId = (await harness.AddBotAsync()).BotId;
        var runId = Guid.NewGuid();
        var states = StateTexts.Keys.ToList();
        await using (var db = harness.NewDb())
        {
            db.AddRange(SweepStatusTexts.Keys.Select(s => new SweepRun { Status = s, Trigger = "test" }));
            db.AddRange(ShardStatusTexts.Keys.Select((s, i) => new SweepShard { RunId = runId, ShardKey = i, Status = s }));
            // As many entries as states, so every kind, actor and state appears in some entry.
            db.AddRange(states.Select((s, i) => new WebhookHistoryEntry
            {
                BotId = botId,
                Kind = KindTexts.Keys.ElementAt(i % KindTexts.Count),
                Actor = ActorTexts.Keys.ElementAt(i % ActorTexts.Count),
                FromState = s,
                ToState = states[(i + 1) % states.Count],
            }));
            await db.SaveChangesAsync();
        }

        await using var check = harness.NewDb();
        Assert.Equal([null, .. OutcomeTexts.Values.Order()], await TextsAsync(check, "last_check_outcome", "bot_platform_credential"));
        Assert.Equal([null, .. OutcomeTexts.Keys.Cast<CheckOutcome?>().Order()], (await check.Credentials.Select(c => c.LastCheckOutcome).ToListAsync()).Order());
        Assert.Equal(SweepStatusTexts.Values.Order(), await TextsAsync(check, "status", "sweep_run"));
        Assert.Equal(SweepStatusTexts.Keys.Order(), (await check.Set<SweepRun>().Select(r => r.Status).ToListAsync()).Order());
        Assert.Equal(ShardStatusTexts.Values.Order(), await TextsAsync(check, "status", "sweep_shard"));
        Assert.Equal(ShardStatusTexts.Keys.Order(), (await check.Set<SweepShard>().Select(s => s.Status).ToListAsync()).Order());
        Assert.Equal(KindTexts.Values.Order(), await TextsAsync(check, "kind", "webhook_history", distinct: true));
        Assert.Equal(ActorTexts.Values.Order(), await TextsAsync(check, "actor", "webhook_history", distinct: true));
        Assert.Equal(StateTexts.Values.Order(), await TextsAsync(check, "from_state", "webhook_history"));
        Assert.Equal(StateTexts.Values.Order(), await TextsAsync(check, "to_state", "webhook_history"));
        var entries = await check.Set<WebhookHistoryEntry>().ToListAsync();
        Assert.Equal(KindTexts.Keys.Order(), entries.Select(e => e.Kind).Distinct().Order());
        Assert.Equal(ActorTexts.Keys.Order(), entries.Select(e => e.Actor).Distinct().Order());
        Assert.Equal(StateTexts.Keys.Order(), entries.Select(e => e.FromState!.Value).Order());
    }

    /// <summary>Every value is listed, and its name is the old text everywhere: snake_case, JSON both ways.</summary>
    private static void AssertText<TEnum>(Dictionary<TEnum, string> texts) where TEnum : struct, Enum
    {
        Assert.Equal(Enum.GetValues<TEnum>().Order(), texts.Keys.Order());
        foreach (var (value, text) in texts)
        {
            Assert.Equal(text, SnakeCase.Of(value));
            Assert.Equal(value, SnakeCase.Parse<TEnum>(text));
            Assert.Equal($"\"{text}\"", JsonSerializer.Serialize(value, ApiJson.Options));
            Assert.Equal(value, JsonSerializer.Deserialize<TEnum>($"\"{text}\"", ApiJson.Options));
        }
    }

    /// <summary>The column's texts as stored, read past EF Core's converters, in order.</summary>
    private static async Task<List<string?>> TextsAsync(WebhookDbContext db, string column, string table, bool distinct = false)
    {
        var sql = $"SELECT {(distinct ? "DISTINCT " : "")}{column} AS \"Value\" FROM {table}";
        return [.. (await db.Database.SqlQueryRaw<string?>(sql).ToListAsync()).Order()];
    }
}
