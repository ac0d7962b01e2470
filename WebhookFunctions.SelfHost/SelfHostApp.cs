namespace WebhookFunctions.SelfHost;

/// <summary>Builds the self-host; Program runs it, tests start it on 127.0.0.1 with their own settings.</summary>
public static class SelfHostApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        LaunchEnvironment.ApplyDefault(args);
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddWebhookSelfHost();
        var app = builder.Build();
        app.UseWebhookSelfHost();
        return app;
    }
}
