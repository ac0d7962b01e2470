using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain.Checking;

namespace WebhookFunctions.Domain.Sharding;

/// <summary>Registers the sharded sweep (both hosts, through AddWebhookManagement) and the self-host's shard consumer.</summary>
public static class ShardingServiceCollectionExtensions
{
    internal static IServiceCollection AddSweepSharding(this IServiceCollection services)
    {
        services.AddOptions<ShardingOptions>().BindConfiguration(ShardingOptions.Section)
            .Configure<IConfiguration>((o, config) =>
            {
                // The Functions QueueTrigger reads %SWEEP_SHARD_QUEUE%; the library honours the same setting.
                if (config[$"{ShardingOptions.Section}:{nameof(ShardingOptions.QueueName)}"] is null && config[ShardingOptions.QueueNameAlias] is { Length: > 0 } name)
                {
                    o.QueueName = name;
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShardingOptions>, ShardingOptionsValidator>();
        services.AddSingleton<ShardQueue>();
        services.AddSingleton<ShardedRunLog>();
        services.AddScoped<ShardRunner>();
        services.AddScoped<ShardedSweep>();
        services.AddScoped<IScheduledSweep>(sp => sp.GetRequiredService<ShardedSweep>());
        return services;
    }

    /// <summary>The self-host's consumer of the shard queue; the Functions app has its QueueTrigger instead.</summary>
    public static IServiceCollection AddSweepShardConsumer(this IServiceCollection services)
    {
        services.AddHostedService<ShardConsumer>();
        return services;
    }
}
