using Azure;
using Azure.Core;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Receiving;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>The Azure Storage queue shard messages travel on: Azurite by connection string, Azure by managed identity.</summary>
internal sealed partial class ShardQueue
{
    private readonly Lazy<(QueueClient Client, bool CreateIfMissing)> _queue;
    private readonly ILogger<ShardQueue> _logger;
    private int _created;

    public ShardQueue(IOptions<ShardingOptions> options, IOptions<UpdateQueueOptions> updates, TokenCredential credential, ILogger<ShardQueue> logger)
    {
        // Built on first use: a host whose sweeps stay in one instance never needs the queue's settings.
        _queue = new(() =>
        {
            var settings = options.Value;
            var own = !string.IsNullOrWhiteSpace(settings.ConnectionString) || !string.IsNullOrWhiteSpace(settings.ServiceUri);
            var (connectionString, serviceUri) = own ? (settings.ConnectionString, settings.ServiceUri) : (updates.Value.ConnectionString, updates.Value.ServiceUri);
            var clientOptions = new QueueClientOptions { MessageEncoding = ShardingOptions.Encoding };
            var client = string.IsNullOrWhiteSpace(connectionString)
                ? new QueueClient(new Uri(new Uri(serviceUri!), settings.QueueName), credential, clientOptions)
                : new QueueClient(connectionString, settings.QueueName, clientOptions);
            return (client, settings.CreateIfNotExists ?? !string.IsNullOrWhiteSpace(connectionString));
        });
        _logger = logger;
    }

    public string Name => Client.Name;

    /// <summary>The queue's address (never its key).</summary>
    internal Uri Uri => Client.Uri;

    private QueueClient Client => _queue.Value.Client;

    public async Task SendAsync(ShardMessage message, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await Client.SendMessageAsync(message.ToBinary(), cancellationToken: cancellationToken);
    }

    /// <summary>Up to <paramref name="count"/> messages, hidden for <paramref name="visibility"/>; none when the queue is empty or missing.</summary>
    public async Task<QueueMessage[]> ReceiveAsync(int count, TimeSpan visibility, CancellationToken cancellationToken)
    {
        try
        {
            return (await Client.ReceiveMessagesAsync(count, visibility, cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.ErrorCode == QueueErrorCode.QueueNotFound)
        {
            return [];
        }
    }

    /// <summary>Hides the message for another <paramref name="visibility"/>; returns the new pop receipt.</summary>
    public async Task<string> HideAsync(QueueMessage message, string popReceipt, TimeSpan visibility, CancellationToken cancellationToken) =>
        (await Client.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: visibility, cancellationToken: cancellationToken)).Value.PopReceipt;

    public async Task DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken) =>
        await Client.DeleteMessageAsync(messageId, popReceipt, cancellationToken);

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!_queue.Value.CreateIfMissing || Volatile.Read(ref _created) == 1)
        {
            return;
        }
        if ((await Client.CreateIfNotExistsAsync(cancellationToken: cancellationToken)) is not null)
        {
            LogQueueCreated(_logger, Client.Name);
        }
        Volatile.Write(ref _created, 1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the sweep shard queue {QueueName}")]
    private static partial void LogQueueCreated(ILogger logger, string queueName);
}
