using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>The Azure Storage queue received updates are handed to: Azurite by connection string, Azure by managed identity.</summary>
internal sealed partial class UpdateQueue
{
    /// <summary>Azure Storage's limit for one message, as sent (after Base64 encoding).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The longest an enqueue may take, retries included; the receiver's claim on an update outlives it.</summary>
    public static readonly TimeSpan EnqueueTimeout = TimeSpan.FromSeconds(20);

    private readonly QueueClient _queue;
    private readonly bool _createIfMissing;
    private readonly QueueMessageEncoding _encoding;
    private readonly TimeProvider _time;
    private readonly ILogger<UpdateQueue> _logger;

    public UpdateQueue(IOptions<UpdateQueueOptions> options, TokenCredential credential, IEnumerable<HttpPipelinePolicy> policies, TimeProvider time, ILogger<UpdateQueue> logger)
    {
        var settings = options.Value;
        var clientOptions = new QueueClientOptions { MessageEncoding = settings.MessageEncoding };
        // Fail over to a 503 (Telegram delivers again) within seconds rather than hold Telegram's connection.
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(250);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        foreach (var policy in policies)
        {
            clientOptions.AddPolicy(policy, HttpPipelinePosition.PerCall);
        }
        _queue = string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? new QueueClient(new Uri(new Uri(settings.ServiceUri!), settings.Name), credential, clientOptions)
            : new QueueClient(settings.ConnectionString, settings.Name, clientOptions);
        _createIfMissing = settings.ShouldCreateQueue;
        _encoding = settings.MessageEncoding;
        _time = time;
        _logger = logger;
    }

    public string Name => _queue.Name;

    /// <summary>
    /// The queue message for an update: its bytes verbatim, or, when that would not fit one message, the same JSON
    /// written compactly. Null when even that does not fit.
    /// </summary>
    public BinaryData? ToMessage(Guid botId, long updateId, DateTimeOffset receivedAt, ReadOnlyMemory<byte> updateJson, JsonElement update)
    {
        var verbatim = QueuedUpdate.Write(botId, updateId, receivedAt, updateJson);
        if (Fits(verbatim.Length))
        {
            return new BinaryData(verbatim);
        }
        var compact = QueuedUpdate.WriteCompact(botId, updateId, receivedAt, update);
        return Fits(compact.Length) ? new BinaryData(compact) : null;
    }

    /// <summary>Sends one message; throws when the queue cannot be reached within <see cref="EnqueueTimeout"/>.</summary>
    public async Task EnqueueAsync(BinaryData message, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(EnqueueTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await _queue.SendMessageAsync(message, cancellationToken: linked.Token);
        }
        catch (RequestFailedException e) when (_createIfMissing && e.ErrorCode == QueueErrorCode.QueueNotFound)
        {
            // First use, or Azurite restarted without its data.
            await _queue.CreateIfNotExistsAsync(cancellationToken: linked.Token);
            LogQueueCreated(_logger, _queue.Name);
            await _queue.SendMessageAsync(message, cancellationToken: linked.Token);
        }
    }

    private bool Fits(int bytes) => (_encoding == QueueMessageEncoding.Base64 ? (bytes + 2) / 3 * 4 : bytes) <= MaxMessageBytes;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the update queue {QueueName}")]
    private static partial void LogQueueCreated(ILogger logger, string queueName);
}
