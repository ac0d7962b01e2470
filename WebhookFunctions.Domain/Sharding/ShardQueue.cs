using Azure;
using Azure.Core;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>The Azure Storage queue shard messages travel on: Azurite by connection string, Azure by managed identity.</summary>
public sealed partial class ShardQueue
{
    private readonly QueueClient _queue;
    private readonly bool _createIfMissing;
    private readonly ILogger<ShardQueue> _logger;
    private int _created;

    public ShardQueue(IOptions<ShardingOptions> options, TokenCredential credential, ILogger<ShardQueue> logger)
    {
        var settings = options.Value;
        var clientOptions = new QueueClientOptions { MessageEncoding = ShardingOptions.Encoding };
        _queue = string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? new QueueClient(new Uri(new Uri(settings.ServiceUri ?? "https://unset.invalid/"), settings.QueueName), credential, clientOptions)
            : new QueueClient(settings.ConnectionString, settings.QueueName, clientOptions);
        _createIfMissing = settings.ShouldCreateQueue;
        _logger = logger;
    }

    public string Name => _queue.Name;

    public async Task SendAsync(ShardMessage message, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await _queue.SendMessageAsync(message.ToBinary(), cancellationToken: cancellationToken);
    }

    /// <summary>Up to <paramref name="count"/> messages, hidden for <paramref name="visibility"/>; none when the queue is empty or missing.</summary>
    public async Task<QueueMessage[]> ReceiveAsync(int count, TimeSpan visibility, CancellationToken cancellationToken)
    {
        try
        {
            return (await _queue.ReceiveMessagesAsync(count, visibility, cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.ErrorCode == QueueErrorCode.QueueNotFound)
        {
            return [];
        }
    }

    /// <summary>Hides the message for another <paramref name="visibility"/>; returns the new pop receipt.</summary>
    public async Task<string> HideAsync(QueueMessage message, string popReceipt, TimeSpan visibility, CancellationToken cancellationToken) =>
        (await _queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: visibility, cancellationToken: cancellationToken)).Value.PopReceipt;

    public async Task DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken) =>
        await _queue.DeleteMessageAsync(messageId, popReceipt, cancellationToken);

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!_createIfMissing || Volatile.Read(ref _created) == 1)
        {
            return;
        }
        if ((await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken)) is not null)
        {
            LogQueueCreated(_logger, _queue.Name);
        }
        Volatile.Write(ref _created, 1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the sweep shard queue {QueueName}")]
    private static partial void LogQueueCreated(ILogger logger, string queueName);
}
