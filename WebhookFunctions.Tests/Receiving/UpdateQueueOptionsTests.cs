using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain;
using WebhookFunctions.Domain.Receiving;
using WebhookFunctions.Domain.Urls;

namespace WebhookFunctions.Tests.Receiving;

// Settings: defaults, the fallbacks when UpdateQueue is not configured, and errors that name the setting.
public sealed class UpdateQueueOptionsTests
{
    private const string Azurite = "UseDevelopmentStorage=true";

    private static UpdateQueueOptions Resolve(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Webhook:Mode", "Domain");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(WebhookEnvironment.Detect(configuration))
            .AddUpdateReceiver()
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<UpdateQueueOptions>>().Value;
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = Resolve(new() { ["UpdateQueue:ConnectionString"] = Azurite });

        Assert.Equal("telegram-updates", options.Name);
        Assert.Equal(Azure.Storage.Queues.QueueMessageEncoding.Base64, options.MessageEncoding);
        Assert.Equal(65536, options.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromHours(24), options.DeduplicationWindow);
        Assert.False(options.AllowTelegramSourceRangesOnly);
        Assert.Empty(options.TrustedProxies);
    }

    [Fact]
    public void Unset_queue_uses_the_functions_apps_storage_connection()
    {
        var options = Resolve(new() { ["AzureWebJobsStorage"] = Azurite });

        Assert.Equal(Azurite, options.ConnectionString);
    }

    [Fact]
    public void Unset_queue_uses_the_functions_apps_identity_based_storage()
    {
        var options = Resolve(new() { ["AzureWebJobsStorage:accountName"] = "stwebhooks" });

        Assert.Equal("https://stwebhooks.queue.core.windows.net", options.ServiceUri);
        Assert.Null(options.ConnectionString);
    }

    [Fact]
    public void Unset_queue_in_local_development_is_azurite()
    {
        var options = Resolve(new() { ["Webhook:Mode"] = "Tunnel" });

        Assert.Equal(Azurite, options.ConnectionString);
    }

    [Theory]
    [InlineData(null, null, null, "UpdateQueue:ConnectionString (Azurite: UseDevelopmentStorage=true) or UpdateQueue:ServiceUri")]
    [InlineData(Azurite, "https://acct.queue.core.windows.net", null, "UpdateQueue:ConnectionString and UpdateQueue:ServiceUri are both set")]
    [InlineData("AccountName=x;AccountKey=not-base64", null, null, "UpdateQueue:ConnectionString is not a storage connection string")]
    [InlineData(null, "http://acct.queue.core.windows.net", null, "UpdateQueue:ServiceUri must be the https queue endpoint")]
    [InlineData(Azurite, null, "Telegram_Updates", "UpdateQueue:Name must be 3-63 characters")]
    [InlineData(Azurite, null, "a--b", "UpdateQueue:Name")]
    [InlineData(Azurite, null, "telegram-updates\n", "UpdateQueue:Name")]
    public void Bad_settings_are_refused_naming_the_setting(string? connectionString, string? serviceUri, string? name, string expected)
    {
        var settings = new Dictionary<string, string?> { ["UpdateQueue:ConnectionString"] = connectionString, ["UpdateQueue:ServiceUri"] = serviceUri };
        if (name is not null)
        {
            settings["UpdateQueue:Name"] = name;
        }

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Connection_string_errors_never_echo_the_connection_string()
    {
        const string Key = "c2VjcmV0LWtleS1tYXRlcmlhbA==";

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["UpdateQueue:ConnectionString"] = $"AccountName=x;AccountKey={Key};Bogus" }));

        Assert.DoesNotContain(Key, error.Message);
    }

    [Theory]
    [InlineData("UpdateQueue:TrustedProxies:0", "proxy.internal", "UpdateQueue:TrustedProxies")]
    [InlineData("UpdateQueue:MaxBodyBytes", "0", "UpdateQueue:MaxBodyBytes")]
    [InlineData("UpdateQueue:DeduplicationWindow", "00:00:00", "UpdateQueue:DeduplicationWindow")]
    public void Bad_receiver_settings_are_refused_naming_the_setting(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["UpdateQueue:ConnectionString"] = Azurite, [key] = value }));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:10:00")]
    public async Task A_bad_credential_cache_duration_stops_start_up_naming_it(string value)
    {
        using var host = HostWith(new() { ["UpdateQueue:ConnectionString"] = Azurite, ["Receiver:CredentialCacheDuration"] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Receiver:CredentialCacheDuration", error.Message);
    }

    [Fact]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_it()
    {
        using var host = HostWith(new() { ["UpdateQueue:ServiceUri"] = "http://acct.queue.core.windows.net" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("UpdateQueue:ServiceUri", error.Message);
    }

    private static IHost HostWith(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhook:Mode"] = "Domain",
            ["Webhook:Domain"] = "https://hooks.example.test",
            ["Auth:ApiKeys:0"] = "test-management-key-0123456789abcdef",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddWebhookManagement(builder.Configuration);
        return builder.Build();
    }
}
