using Microsoft.Extensions.Logging;

namespace WebhookFunctions.Domain.Checking;

/// <summary>
/// A sweep's hold on the checker lease, renewed in the background every third of its duration (on the injected
/// clock), so a sweep that runs longer than the lease keeps it. <see cref="Held"/> turns false for good once a
/// renewal finds the lease taken, and while renewals fail past the last known expiry.
/// </summary>
internal sealed partial class HeldLease : IAsyncDisposable
{
    private readonly CheckerLease _lease;
    private readonly string _holder;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private long _expiresAtTicks;
    private volatile bool _lost;

    public HeldLease(CheckerLease lease, string holder, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        (_lease, _holder, _duration, _time, _logger) = (lease, holder, duration, time, logger);
        _expiresAtTicks = (time.GetUtcNow() + duration).UtcTicks;
        _renewing = RenewAsync();
    }

    /// <summary>True while this sweep is known to hold the lease.</summary>
    public bool Held => !_lost && _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _expiresAtTicks);

    private async Task RenewAsync()
    {
        var every = _duration / 3;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, _stop.Token);
                var expiresAt = _time.GetUtcNow() + _duration;
                if (!await _lease.RenewAsync(_holder, _duration, _stop.Token))
                {
                    _lost = true;
                    LogLeaseLost(_logger);
                    return;
                }
                Interlocked.Exchange(ref _expiresAtTicks, expiresAt.UtcTicks);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be back before the lease runs out; until then Held says whether it still holds.
                LogRenewalFailed(_logger, e.GetType().Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The checker lease passed to another sweep while this one ran; it starts no further checks")]
    private static partial void LogLeaseLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the checker lease failed ({ErrorType}); trying again")]
    private static partial void LogRenewalFailed(ILogger logger, string errorType);
}
