using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace WebhookFunctions.Tests.Urls;

/// <summary>A FakeTimeProvider that reports every timer created, so a test advances time only once the code waits.</summary>
internal sealed class ObservedTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero))
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Completes once a timer due after <paramref name="dueTime"/> exists.</summary>
    public async Task TimerCreatedAsync(TimeSpan dueTime, CancellationToken cancellationToken)
    {
        await foreach (var created in _timers.Reader.ReadAllAsync(cancellationToken))
        {
            if (created == dueTime)
            {
                return;
            }
        }
    }
}
