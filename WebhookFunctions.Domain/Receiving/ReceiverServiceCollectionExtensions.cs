using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Domain.Receiving;

/// <summary>Registers the receiver: options, the queue, the received-update ledger and <see cref="UpdateReceiver"/> (its route is registered with the API).</summary>
internal static class ReceiverServiceCollectionExtensions
{
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public static IServiceCollection AddUpdateReceiver(this IServiceCollection services)
    {
        services.AddOptions<UpdateQueueOptions>().BindConfiguration(UpdateQueueOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                if (!string.IsNullOrWhiteSpace(o.ConnectionString) || !string.IsNullOrWhiteSpace(o.ServiceUri))
                {
                    return;
                }
                // Unset: the Functions app's own storage (by connection string or identity), else Azurite when developing.
                o.ConnectionString = config["AzureWebJobsStorage"] is { Length: > 0 } storage ? storage : null;
                o.ServiceUri = o.ConnectionString is not null ? null
                    : config["AzureWebJobsStorage:queueServiceUri"]
                    ?? (config["AzureWebJobsStorage:accountName"] is { Length: > 0 } account ? $"https://{account}.queue.core.windows.net" : null);
                // Detected here rather than injected, so a bad Webhook:Mode fails as one setting among the others.
                if (o.ConnectionString is null && o.ServiceUri is null && WebhookEnvironment.Detect(config).Mode == WebhookMode.Tunnel)
                {
                    o.ConnectionString = DevelopmentStorage;
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<UpdateQueueOptions>, UpdateQueueOptionsValidator>();
        services.AddOptions<ReceiverOptions>().BindConfiguration(ReceiverOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReceiverCredentialCache>();
        // Picked up by WebhookDbContextFactory with every IInterceptor registered.
        services.AddSingleton<IInterceptor, CredentialChangeWatcher>();
        services.AddSingleton<DeliverySource>();
        services.AddSingleton<UpdateQueue>();
        services.AddSingleton<ReceivedUpdateLedger>();
        services.AddMetrics();
        services.AddSingleton<ReceiverMetrics>();
        services.AddSingleton<RejectionLogThrottle>();
        services.AddSingleton<UpdateReceiver>();
        return services;
    }
}
