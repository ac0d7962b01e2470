using Azure;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>
/// The self-host's shard consumer (the Functions app has its QueueTrigger): takes one message at a time per worker,
/// keeps it hidden while the shard is checked (renewed every third of Sharding:VisibilityTimeout), and deletes it only
/// after <see cref="ShardRunner"/> recorded the shard. A message left undeleted comes back for another try.
/// </summary>
internal sealed partial class ShardConsumer(
    IServiceScopeFactory scopes,
    ShardQueue queue,
    IOptions<ShardingOptions> options,
    TimeProvider time,
    ILogger<ShardConsumer> logger) : BackgroundService
{
    // A message to try again comes back after this, not after a whole visibility timeout.
    internal static readonly TimeSpan RetryBackoff = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Mode == SweepSharding.Off || !settings.ConsumerEnabled)
        {
            LogConsumerOff(logger);
            return;
        }
        await Task.WhenAll(Enumerable.Range(0, settings.ConsumerShards).Select(_ => ConsumeAsync(settings, stoppingToken)));
    }

    /// <summary>The longest wait between attempts while the queue or the database stays away.</summary>
    internal static readonly TimeSpan MaxFailureBackoff = TimeSpan.FromMinutes(1);

    /// <summary>The wait after <paramref name="failures"/> failures in a row: the poll interval, doubled each time, at most a minute.</summary>
    internal static TimeSpan BackoffAfter(TimeSpan pollInterval, int failures)
    {
        var wait = pollInterval;
        for (var failure = 1; failure < failures && wait < MaxFailureBackoff; failure++)
        {
            wait *= 2;
        }
        return wait < MaxFailureBackoff ? wait : MaxFailureBackoff;
    }

    private async Task ConsumeAsync(ShardingOptions settings, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = await queue.ReceiveAsync(1, settings.VisibilityTimeout, stoppingToken);
                if (failures > 0)
                {
                    LogConsumeRecovered(logger, failures);
                    failures = 0;
                }
                if (messages.Length == 0)
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken);
                    continue;
                }
                await HandleAsync(messages[0], settings.VisibilityTimeout, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The queue or the database is away (e.g. no Azurite on a developer's machine): the message (if any)
                // comes back. One Warning per outage, not one per attempt; the attempts back off to once a minute.
                failures++;
                var errorType = e.GetType().Name;
                if (failures == 1)
                {
                    LogConsumeFailed(logger, errorType);
                }
                else
                {
                    LogConsumeStillFailing(logger, errorType, failures);
                }
                await Task.Delay(BackoffAfter(settings.PollInterval, failures), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task HandleAsync(QueueMessage message, TimeSpan visibility, CancellationToken stoppingToken)
    {
        var receipt = new PopReceipt(message.PopReceipt);
        using var stopHiding = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var hiding = KeepHiddenAsync(message, receipt, visibility, stopHiding.Token);
        ShardDisposition disposition;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            disposition = await scope.ServiceProvider.GetRequiredService<ShardRunner>().HandleAsync(message.Body, message.DequeueCount, stoppingToken);
        }
        finally
        {
            await stopHiding.CancelAsync();
            await hiding;
        }
        if (disposition == ShardDisposition.Finished)
        {
            await queue.DeleteAsync(message.MessageId, receipt.Value, CancellationToken.None);
        }
        else
        {
            await queue.HideAsync(message, receipt.Value, RetryBackoff, CancellationToken.None);
        }
    }

    private async Task KeepHiddenAsync(QueueMessage message, PopReceipt receipt, TimeSpan visibility, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(visibility / 3, time, cancellationToken);
                receipt.Value = await queue.HideAsync(message, receipt.Value, visibility, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException e)
            {
                // The message may come back to another consumer; the shard's claim keeps it from being checked twice.
                LogHideFailed(logger, e.Status);
            }
        }
    }

    /// <summary>The message's latest pop receipt: each visibility update replaces it.</summary>
    private sealed class PopReceipt(string value)
    {
        public string Value { get; set; } = value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This host consumes no sweep shards (Sharding:Mode is Off or Sharding:ConsumerEnabled is false)")]
    private static partial void LogConsumerOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking a sweep shard failed ({ErrorType}); trying again, less often while it keeps failing (at most once a minute)")]
    private static partial void LogConsumeFailed(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Taking a sweep shard failed again ({ErrorType}, {Failures} in a row)")]
    private static partial void LogConsumeStillFailing(ILogger logger, string errorType, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "The sweep shard queue answers again, after {Failures} failed attempts")]
    private static partial void LogConsumeRecovered(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not keep a sweep shard message hidden (status {Status})")]
    private static partial void LogHideFailed(ILogger logger, int status);
}
