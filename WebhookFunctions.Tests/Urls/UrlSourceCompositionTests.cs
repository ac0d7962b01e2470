using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebhookFunctions.Domain;
using WebhookFunctions.Domain.Urls;
using WebhookFunctions.StandIns;

namespace WebhookFunctions.Tests.Urls;

// The mode is decided once, while the app is composed: Tunnel mode registers ngrok, Domain mode nothing of it.
public sealed class UrlSourceCompositionTests
{
    private static readonly Guid BotId = Guid.Parse("11111111-1111-1111-1111-111111111111");

    private static ServiceCollection Compose(params (string Key, string? Value)[] settings)
    {
        var configuration = UrlServices.Configuration([("Ngrok:Path", UrlServices.NoExecutable), .. settings]);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddWebhookManagement(configuration);
        return services;
    }

    [Theory]
    [InlineData("Webhook:Mode", "Domain")]
    [InlineData("WEBSITE_INSTANCE_ID", "abc123")]
    [InlineData("ENV", "production")]
    public void Domain_mode_registers_nothing_of_ngrok(string key, string value)
    {
        var services = Compose((key, value), ("Webhook:Domain", "https://bots.example.com"));

        Assert.DoesNotContain(services, MentionsNgrok);
    }

    [Fact]
    public async Task Domain_mode_resolves_the_domain_without_ever_asking_an_ngrok_agent()
    {
        await using var agent = await NgrokAgentStandIn.StartAsync();
        agent.AddTunnel("https://tunnel.ngrok-free.app", "http://localhost:7071");
        await using var provider = Compose(("Webhook:Mode", "Domain"), ("Webhook:Domain", "https://bots.example.com"), ("Ngrok:ApiUrl", agent.ApiUrl))
            .BuildServiceProvider();
        var resolver = provider.GetRequiredService<WebhookUrlResolver>();

        var url = await resolver.ResolveAsync(BotId, default);
        var current = await resolver.FindCurrentAsync(BotId, default);

        Assert.Equal($"https://bots.example.com/v1/api/webhooks/telegram/{BotId}", url);
        Assert.Equal(url, current);
        Assert.IsType<DomainUrlSource>(provider.GetRequiredService<IWebhookUrlSource>());
        Assert.Null(provider.GetService<NgrokTunnelLocator>());
        Assert.Empty(agent.CallsOf("GET"));
    }

    [Theory]
    [InlineData("Webhook:Mode", "Tunnel")]
    [InlineData("USE_NGROK", "true")]
    [InlineData("ASPNETCORE_ENVIRONMENT", "Development")]
    public async Task Tunnel_mode_registers_the_ngrok_locator_as_the_one_url_source(string key, string value)
    {
        var services = Compose((key, value));
        await using var provider = services.BuildServiceProvider();

        var source = provider.GetRequiredService<IWebhookUrlSource>();

        Assert.Same(provider.GetRequiredService<NgrokTunnelLocator>(), source);
        Assert.Contains(services, MentionsNgrok);
    }

    [Fact]
    public void A_bad_Webhook_Mode_is_not_thrown_while_composing_but_fails_the_start_up_validation_naming_it()
    {
        var services = Compose(("Webhook:Mode", "ngrok"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WebhookOptions>>().Value);

        Assert.Equal(["Webhook:Mode must be 'Tunnel' or 'Domain' (or empty to detect), not 'ngrok'."], error.Failures);
    }

    /// <summary>An ngrok type anywhere in the registration (service, implementation, options of), or the ngrok HttpClient's configuration.</summary>
    private static bool MentionsNgrok(ServiceDescriptor descriptor)
    {
        var instance = descriptor.IsKeyedService ? descriptor.KeyedImplementationInstance : descriptor.ImplementationInstance;
        var implementation = descriptor.IsKeyedService ? descriptor.KeyedImplementationType : descriptor.ImplementationType;
        Type?[] types = [descriptor.ServiceType, implementation, instance?.GetType()];
        var named = instance?.GetType().GetProperty("Name")?.GetValue(instance) as string;
        return types.Any(t => t is not null && (t.Name.Contains("Ngrok", StringComparison.Ordinal) || t.GenericTypeArguments.Any(a => a.Name.Contains("Ngrok", StringComparison.Ordinal))))
            || named == NgrokTunnelLocator.HttpClientName;
    }
}
