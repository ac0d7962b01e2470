namespace WebhookFunctions.Domain.Sharding;

/// <summary>
/// Auto's rule, a pure function. One instance checks at most MaxConcurrency bots at a time, each taking checkTime
/// (Bot API round trips plus its share of the batched write), within Checker:TimeBudget: its capacity per period is
/// MaxConcurrency × TimeBudget / checkTime. A fleet above 80% of that is sharded (the rest is headroom for slow calls
/// and 429 waits); Sharding:AutoAboveBots replaces the computed threshold when set.
/// </summary>
internal static class ShardingDecision
{
    public const double Headroom = 0.8;

    public static int Capacity(int maxConcurrency, TimeSpan timeBudget, TimeSpan checkTime) =>
        (int)Math.Min(int.MaxValue, maxConcurrency * timeBudget.TotalSeconds / Math.Max(checkTime.TotalSeconds, 0.001));

    public static int Threshold(int? autoAboveBots, int maxConcurrency, TimeSpan timeBudget, TimeSpan checkTime) =>
        autoAboveBots ?? (int)(Capacity(maxConcurrency, timeBudget, checkTime) * Headroom);

    public static bool ShouldShard(SweepSharding mode, int dueBots, int threshold) => mode switch
    {
        SweepSharding.On => true,
        SweepSharding.Off => false,
        _ => dueBots > threshold,
    };

    /// <summary>The time one check took in a sweep run in one instance: its duration spread over its checks, MaxConcurrency at a time.</summary>
    public static TimeSpan ObservedCheckTime(long durationMs, int checkedBots, int maxConcurrency) =>
        TimeSpan.FromMilliseconds((double)durationMs * maxConcurrency / Math.Max(checkedBots, 1));
}
