using Microsoft.Extensions.DependencyInjection;

namespace WebhookFunctions.Domain.History;

/// <summary>Registers the history and its retention (both hosts, through AddWebhookManagement); its routes are registered with the API.</summary>
internal static class HistoryServiceCollectionExtensions
{
    public static IServiceCollection AddWebhookHistory(this IServiceCollection services)
    {
        services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookHistory>();
        services.AddScoped<HistoryQuery>();
        return services;
    }
}
