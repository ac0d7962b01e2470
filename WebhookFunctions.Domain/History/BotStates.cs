using System.Linq.Expressions;
using WebhookFunctions.Domain.Checking;
using WebhookFunctions.Domain.Credentials;

namespace WebhookFunctions.Domain.History;

/// <summary>
/// A bot's state in one word, from its stored row: what the fleet list filters and sorts by, the dashboard counts,
/// and the history records changes of. One expression, translated to SQL and compiled for rows in memory.
/// </summary>
public static class BotStates
{
    public const string TokenRejected = "token_rejected";
    public const string Failing = "failing";
    public const string Deferred = "deferred";
    public const string Unchecked = "unchecked";
    public const string Disabled = "disabled";
    public const string Healthy = "healthy";

    /// <summary>Every state, the least healthy first: the order of the fleet list's <c>order=state</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [TokenRejected, Failing, Deferred, Unchecked, Disabled, Healthy];

    public static readonly Expression<Func<BotPlatformCredential, string>> Of = c =>
        c.TokenRejected ? TokenRejected
        : !c.WebhookEnabled && c.LastCheckOutcome == CheckOutcomes.Disabled ? Disabled
        : c.LastCheckOutcome == CheckOutcomes.Failed ? Failing
        : c.LastCheckOutcome == CheckOutcomes.Deferred ? Deferred
        : c.LastCheckOutcome == CheckOutcomes.Healthy || c.LastCheckOutcome == CheckOutcomes.Refreshed || c.LastCheckOutcome == CheckOutcomes.Skipped ? Healthy
        : Unchecked;

    /// <summary>
    /// The position of <see cref="Of"/> in <see cref="All"/>, as SQL sorts by it: the same tests in the same order, one
    /// flat CASE (a test proves it agrees with <see cref="Of"/> for every row).
    /// </summary>
    public static readonly Expression<Func<BotPlatformCredential, int>> Rank = c =>
        c.TokenRejected ? 0
        : !c.WebhookEnabled && c.LastCheckOutcome == CheckOutcomes.Disabled ? 4
        : c.LastCheckOutcome == CheckOutcomes.Failed ? 1
        : c.LastCheckOutcome == CheckOutcomes.Deferred ? 2
        : c.LastCheckOutcome == CheckOutcomes.Healthy || c.LastCheckOutcome == CheckOutcomes.Refreshed || c.LastCheckOutcome == CheckOutcomes.Skipped ? 5
        : 3;

    private static readonly Func<BotPlatformCredential, string> Compiled = Of.Compile();

    public static string For(BotPlatformCredential credential) => Compiled(credential);

    /// <summary>A filter on the state, in SQL.</summary>
    public static Expression<Func<BotPlatformCredential, bool>> Is(string state) =>
        Expression.Lambda<Func<BotPlatformCredential, bool>>(Expression.Equal(Of.Body, Expression.Constant(state)), Of.Parameters);

    /// <summary>
    /// <paramref name="projection"/> (an object initializer) with its <paramref name="member"/> set to the state, so the
    /// state is computed by the database from the one expression above.
    /// </summary>
    public static Expression<Func<BotPlatformCredential, T>> Including<T>(Expression<Func<BotPlatformCredential, T>> projection, string member)
    {
        var init = (MemberInitExpression)projection.Body;
        var state = new Rebind(Of.Parameters[0], projection.Parameters[0]).Visit(Of.Body);
        var binding = Expression.Bind(typeof(T).GetProperty(member)!, state);
        return Expression.Lambda<Func<BotPlatformCredential, T>>(init.Update(init.NewExpression, [.. init.Bindings, binding]), projection.Parameters);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
