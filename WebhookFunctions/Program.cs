using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebhookFunctions.Domain;
using WebhookFunctions.Domain.Startup;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// Dependency tracking would record every outgoing URL, and Bot API URLs carry the bot token (/bot<token>/...).
builder.Services.AddApplicationInsightsTelemetryWorkerService(o => o.EnableDependencyTrackingTelemetryModule = false)
    .ConfigureFunctionsApplicationInsights();
builder.Services.AddWebhookManagement(builder.Configuration);

// Every missing or invalid setting is reported at once, exit code 1, before the worker starts.
return StartupReport.Run(builder.Build);
