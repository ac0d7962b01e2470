using Microsoft.Azure.Functions.Worker.Builder;
using WebhookFunctions.Domain;

namespace WebhookFunctions;

/// <summary>The Functions app's wiring: the shared library plus what only the isolated worker needs. Program and the tests call it.</summary>
public static class FunctionsAppExtensions
{
    public static FunctionsApplicationBuilder AddWebhookFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddWebhookManagement(builder.Configuration);
        builder.Services.AddFunctionsTelemetry(builder.Configuration);
        return builder;
    }
}
