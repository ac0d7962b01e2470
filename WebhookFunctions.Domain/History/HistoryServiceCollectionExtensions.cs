using Microsoft.Extensions.DependencyInjection;
using WebhookFunctions.Domain.Api;
using WebhookFunctions.Domain.Dashboard;

namespace WebhookFunctions.Domain.History;

/// <summary>Registers the history, its retention, and the dashboard's queries and routes (both hosts, through AddWebhookManagement).</summary>
public static class HistoryServiceCollectionExtensions
{
    public static IServiceCollection AddWebhookHistory(this IServiceCollection services)
    {
        services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookHistory>();
        services.AddScoped<HistoryQuery>();
        services.AddScoped<FleetSummaryQuery>();
        services.AddScoped<HistoryApi>();
        services.AddScoped<DashboardApi>();
        return services;
    }
}
