namespace WebhookFunctions.SelfHost;

/// <summary>Builds the self-host; Program runs it, tests start it on 127.0.0.1 with their own settings.</summary>
internal static class SelfHostApp
{
    /// <param name="args">The command line, as the host reads it.</param>
    /// <param name="configure">Runs before the app is composed (settings, logging).</param>
    /// <param name="composed">Runs after it, e.g. to add a telemetry exporter behind the app's own processors.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<WebApplicationBuilder>? composed = null)
    {
        LaunchEnvironment.ApplyDefault(args);
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddWebhookSelfHost();
        composed?.Invoke(builder);
        var app = builder.Build();
        app.UseWebhookSelfHost();
        return app;
    }
}
