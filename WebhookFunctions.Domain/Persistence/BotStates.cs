using System.Linq.Expressions;
using WebhookFunctions.Domain.Json;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>
/// The state of an active bot, as its snake_case name: the <c>state</c> tag of the <c>webhook_checker.bots</c> gauge, what
/// the fleet list filters and sorts by, the dashboard counts, and the history records changes of.
/// </summary>
public enum BotState
{
    /// <summary>The last check found the webhook right, or set it right.</summary>
    Healthy,

    /// <summary>The last check failed (Telegram unavailable, a bad request, a timeout...).</summary>
    Failing,

    /// <summary>Telegram rejects the token; nothing is tried until it is replaced.</summary>
    TokenRejected,

    /// <summary>Someone else keeps moving the webhook away.</summary>
    Contested,

    /// <summary>Rate-limited at the last check; tried again next sweep.</summary>
    Deferred,

    /// <summary>The last check left the webhook alone on purpose.</summary>
    Skipped,

    /// <summary>The operator deleted the webhook.</summary>
    Disabled,

    /// <summary>Not checked yet.</summary>
    Unchecked,
}

/// <summary>A bot's <see cref="BotState"/> from its row: one expression, translated to SQL and compiled for rows in memory.</summary>
internal static class BotStates
{
    /// <summary>Every state, the least healthy first: the order of the fleet list's <c>order=state</c>.</summary>
    public static readonly IReadOnlyList<BotState> All =
        [BotState.TokenRejected, BotState.Contested, BotState.Failing, BotState.Deferred, BotState.Unchecked, BotState.Skipped, BotState.Disabled, BotState.Healthy];

    /// <summary>The snake_case names of <see cref="All"/>, in its order: what the fleet list's <c>state</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = [.. All.Select(SnakeCase.Of)];

    /// <summary>A bot's state from its row: a rejected token first, then the last check's outcome.</summary>
    public static readonly Expression<Func<BotPlatformCredential, BotState>> OfRow = c =>
        c.TokenRejected ? BotState.TokenRejected
        : c.LastCheckOutcome == null ? BotState.Unchecked
        : c.LastCheckOutcome == CheckOutcome.Healthy || c.LastCheckOutcome == CheckOutcome.Refreshed ? BotState.Healthy
        : c.LastCheckOutcome == CheckOutcome.Failed ? BotState.Failing
        : c.LastCheckOutcome == CheckOutcome.TokenRejected ? BotState.TokenRejected
        : c.LastCheckOutcome == CheckOutcome.Contested ? BotState.Contested
        : c.LastCheckOutcome == CheckOutcome.Deferred ? BotState.Deferred
        : c.LastCheckOutcome == CheckOutcome.Skipped ? BotState.Skipped
        : BotState.Disabled;

    /// <summary>
    /// The position of <see cref="OfRow"/> in <see cref="All"/>, as SQL sorts by it: one flat CASE; a test proves it
    /// agrees with <see cref="OfRow"/> for every row.
    /// </summary>
    public static readonly Expression<Func<BotPlatformCredential, int>> Rank = c =>
        c.TokenRejected || c.LastCheckOutcome == CheckOutcome.TokenRejected ? 0
        : c.LastCheckOutcome == CheckOutcome.Contested ? 1
        : c.LastCheckOutcome == CheckOutcome.Failed ? 2
        : c.LastCheckOutcome == CheckOutcome.Deferred ? 3
        : c.LastCheckOutcome == CheckOutcome.Skipped ? 5
        : c.LastCheckOutcome == CheckOutcome.Disabled ? 6
        : c.LastCheckOutcome == CheckOutcome.Healthy || c.LastCheckOutcome == CheckOutcome.Refreshed ? 7
        : 4;

    private static readonly Func<BotPlatformCredential, BotState> Compiled = OfRow.Compile();

    public static BotState For(BotPlatformCredential credential) => Compiled(credential);

    /// <summary>A bot's state from the two columns it depends on.</summary>
    public static BotState Of(bool tokenRejected, CheckOutcome? lastCheckOutcome) =>
        For(new BotPlatformCredential { TokenRejected = tokenRejected, LastCheckOutcome = lastCheckOutcome });

    /// <summary>A filter on the state, in SQL.</summary>
    public static Expression<Func<BotPlatformCredential, bool>> Is(BotState state) =>
        Expression.Lambda<Func<BotPlatformCredential, bool>>(Expression.Equal(OfRow.Body, Expression.Constant(state)), OfRow.Parameters);

    /// <summary>
    /// <paramref name="projection"/> (an object initializer) with its <paramref name="member"/> set to the state, so the
    /// state is computed by the database from the one expression above.
    /// </summary>
    public static Expression<Func<BotPlatformCredential, T>> Including<T>(Expression<Func<BotPlatformCredential, T>> projection, string member)
    {
        var init = (MemberInitExpression)projection.Body;
        var state = new Rebind(OfRow.Parameters[0], projection.Parameters[0]).Visit(OfRow.Body);
        var binding = Expression.Bind(typeof(T).GetProperty(member)!, state);
        return Expression.Lambda<Func<BotPlatformCredential, T>>(init.Update(init.NewExpression, [.. init.Bindings, binding]), projection.Parameters);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
