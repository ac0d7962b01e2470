using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WebhookFunctions.Domain.Checking;

/// <summary>Registers the checker (both hosts, through AddWebhookManagement) and the self-host's scheduler.</summary>
public static class CheckerServiceCollectionExtensions
{
    internal static IServiceCollection AddWebhookChecker(this IServiceCollection services)
    {
        services.AddOptions<CheckerOptions>().BindConfiguration(CheckerOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                // The Functions TimerTrigger reads %WEBHOOK_CHECK_SCHEDULE%; the self-host honours the same setting.
                if (config[$"{CheckerOptions.Section}:{nameof(CheckerOptions.Schedule)}"] is null && config[CheckerOptions.ScheduleAlias] is { } schedule)
                {
                    o.Schedule = schedule;
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CheckerOptions>, CheckerOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<CheckerMetrics>();
        services.AddSingleton<CheckerLease>();
        services.AddSingleton<BotChecker>();
        services.AddSingleton<OutcomeRecorder>();
        services.AddScoped<WebhookChecker>();
        services.AddScoped<FleetQuery>();
        return services;
    }

    /// <summary>The self-host's scheduler; the Functions app has its TimerTrigger instead.</summary>
    public static IServiceCollection AddWebhookCheckerSchedule(this IServiceCollection services)
    {
        services.AddHostedService<CheckerScheduler>();
        return services;
    }
}
