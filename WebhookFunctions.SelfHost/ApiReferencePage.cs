using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace WebhookFunctions.SelfHost;

/// <summary>Section "OpenApi": the self-host's API reference page.</summary>
internal sealed class ApiReferenceOptions
{
    public const string Section = "OpenApi";

    /// <summary>Serve the Scalar reference at /docs. Unset: on in Development only.</summary>
    public bool? ReferencePage { get; set; }
}

/// <summary>The Scalar API reference at /docs, over the served document; its script comes from the package, not a CDN.</summary>
internal static class ApiReferencePage
{
    public const string Route = "/docs";

    public static IServiceCollection AddApiReferencePage(this IServiceCollection services)
    {
        services.AddOptions<ApiReferenceOptions>().BindConfiguration(ApiReferenceOptions.Section);
        return services;
    }

    public static WebApplication MapApiReferencePageWhenEnabled(this WebApplication app)
    {
        // Read while the routes are mapped: a value that is not true/false stops start-up naming OpenApi:ReferencePage.
        var enabled = app.Services.GetRequiredService<IOptions<ApiReferenceOptions>>().Value.ReferencePage ?? app.Environment.IsDevelopment();
        if (enabled)
        {
            app.MapScalarApiReference(Route, options => options
                .WithTitle("WebhookFunctions API reference")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument(ApiDescription.DocumentName)
                .AddPreferredSecuritySchemes(ApiDescription.ManagementKeyHeaderScheme)
                // Nothing fetched from elsewhere: the fonts come from a CDN unless turned off, and the agent and telemetry call out.
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp());
        }
        return app;
    }
}
