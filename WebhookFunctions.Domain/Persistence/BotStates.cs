using System.Linq.Expressions;

namespace WebhookFunctions.Domain.Persistence;

/// <summary>
/// Stable snake_case states of an active bot: the <c>state</c> tag of the <c>webhook_checker.bots</c> gauge, what the
/// fleet list filters and sorts by, the dashboard counts, and the history records changes of. One expression, translated
/// to SQL and compiled for rows in memory.
/// </summary>
internal static class BotStates
{
    /// <summary>The last check found the webhook right, or set it right.</summary>
    public const string Healthy = "healthy";

    /// <summary>The last check failed (Telegram unavailable, a bad request, a timeout...).</summary>
    public const string Failing = "failing";

    /// <summary>Telegram rejects the token; nothing is tried until it is replaced.</summary>
    public const string TokenRejected = "token_rejected";

    /// <summary>Someone else keeps moving the webhook away.</summary>
    public const string Contested = "contested";

    /// <summary>Rate-limited at the last check; tried again next sweep.</summary>
    public const string Deferred = "deferred";

    /// <summary>The last check left the webhook alone on purpose.</summary>
    public const string Skipped = "skipped";

    /// <summary>The operator deleted the webhook.</summary>
    public const string Disabled = "disabled";

    /// <summary>Not checked yet.</summary>
    public const string Unchecked = "unchecked";

    /// <summary>Every state, the least healthy first: the order of the fleet list's <c>order=state</c>.</summary>
    public static readonly IReadOnlyList<string> All = [TokenRejected, Contested, Failing, Deferred, Unchecked, Skipped, Disabled, Healthy];

    /// <summary>A bot's state from its row: a rejected token first, then the last check's outcome (an outcome this list does not know is its own state).</summary>
    public static readonly Expression<Func<BotPlatformCredential, string>> OfRow = c =>
        c.TokenRejected ? TokenRejected
        : c.LastCheckOutcome == null ? Unchecked
        : c.LastCheckOutcome == CheckOutcomes.Healthy || c.LastCheckOutcome == CheckOutcomes.Refreshed ? Healthy
        : c.LastCheckOutcome == CheckOutcomes.Failed ? Failing
        : c.LastCheckOutcome == CheckOutcomes.TokenRejected ? TokenRejected
        : c.LastCheckOutcome;

    /// <summary>
    /// The position of <see cref="OfRow"/> in <see cref="All"/> (an unknown state sorts with <see cref="Unchecked"/>), as
    /// SQL sorts by it: one flat CASE; a test proves it agrees with <see cref="OfRow"/> for every row.
    /// </summary>
    public static readonly Expression<Func<BotPlatformCredential, int>> Rank = c =>
        c.TokenRejected || c.LastCheckOutcome == CheckOutcomes.TokenRejected ? 0
        : c.LastCheckOutcome == CheckOutcomes.Contested ? 1
        : c.LastCheckOutcome == CheckOutcomes.Failed ? 2
        : c.LastCheckOutcome == CheckOutcomes.Deferred ? 3
        : c.LastCheckOutcome == CheckOutcomes.Skipped ? 5
        : c.LastCheckOutcome == CheckOutcomes.Disabled ? 6
        : c.LastCheckOutcome == CheckOutcomes.Healthy || c.LastCheckOutcome == CheckOutcomes.Refreshed ? 7
        : 4;

    private static readonly Func<BotPlatformCredential, string> Compiled = OfRow.Compile();

    public static string For(BotPlatformCredential credential) => Compiled(credential);

    /// <summary>A bot's state from the two columns it depends on.</summary>
    public static string Of(bool tokenRejected, string? lastCheckOutcome) =>
        For(new BotPlatformCredential { TokenRejected = tokenRejected, LastCheckOutcome = lastCheckOutcome });

    /// <summary>A filter on the state, in SQL.</summary>
    public static Expression<Func<BotPlatformCredential, bool>> Is(string state) =>
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
